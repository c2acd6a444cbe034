package io.jobpipeline.local.chaos;

import io.jobpipeline.cli.PipelineCli;
import io.jobpipeline.local.LocalPipeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** How the soak replays the jobs dead-letter queue once the poison's cause is fixed. */
public interface JobsDeadLetterReplay {
    /** Replays every message of the queue (a template logical id); how many went back. */
    long replay(LocalPipeline stack, String queueLogicalId) throws Exception;

    /** How, for the report. */
    String label();

    /**
     * {@code ./pipeline dlq replay QUEUE} through the CLI's own entry (picocli, as the script runs it), pointed at the
     * stack's endpoints and template (the queue by its template name, as dlq list shows it). How many it moved: its summary's "moved N", else the drop in the queue's depth.
     */
    static JobsDeadLetterReplay cli() {
        return new JobsDeadLetterReplay() {
            private final Pattern moved = Pattern.compile("\\bmoved (\\d+) from\\b");

            @Override
            public long replay(LocalPipeline stack, String queueLogicalId) {
                String queue = stack.resources().queueUrl(queueLogicalId);
                long before = depth(stack, queue);
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                CommandLine cli = new CommandLine(new PipelineCli(Map.of()));
                cli.setOut(new PrintWriter(out, true));
                cli.setErr(new PrintWriter(err, true));
                int exit = cli.execute("dlq", "replay", queueLogicalId,
                        "--sqs-endpoint", stack.sqsEndpoint().toString(),
                        "--dynamodb-endpoint", stack.dynamoEndpoint().toString(),
                        "--events-endpoint", stack.busEndpoint().toString(),
                        "--template", stack.template().source().toString());
                if (exit != 0) {
                    throw new IllegalStateException("./pipeline dlq replay " + queueLogicalId + " exited with " + exit + ":\n"
                            + out + err);
                }
                Matcher summary = moved.matcher(out.toString());
                return summary.find() ? Long.parseLong(summary.group(1)) : before - depth(stack, queue);
            }

            @Override
            public String label() {
                return "./pipeline dlq replay";
            }
        };
    }

    /** SQS's own redrive: StartMessageMoveTask moves the messages back to their source queue. */
    static JobsDeadLetterReplay moveTask() {
        return new JobsDeadLetterReplay() {
            @Override
            public long replay(LocalPipeline stack, String queueLogicalId) throws Exception {
                return new DeadLetterRedrive(stack.clients().sqs(), null).moveBack(stack.resources().queueUrl(queueLogicalId),
                        java.time.Duration.ofSeconds(120));
            }

            @Override
            public String label() {
                return "SQS move task";
            }
        };
    }

    /** Visible and in-flight messages of a queue. */
    private static long depth(LocalPipeline stack, String queueUrl) {
        Map<QueueAttributeName, String> attributes = stack.clients().sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }
}
