package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.JobPrinter;
import io.jobpipeline.cli.Version;
import io.jobpipeline.cli.stack.DeadLetterQueue;
import io.jobpipeline.cli.stack.StackCommand;
import io.jobpipeline.cli.stack.StackTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code pipeline dlq show QUEUE}: the messages of a dead-letter queue and why they are there, leaving them in it. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Show the messages of a dead-letter queue without consuming them: the job (and event), attempts, "
                + "first and last failure and the last error.",
                "They stay in the queue, visible again as soon as the command is done."})
final class DlqShowCommand extends StackCommand {
    private static final int LABEL = "First failure".length();

    @Parameters(index = "0", paramLabel = "QUEUE", description = "A dead-letter queue, as dlq list names it, e.g. JobsDeadLetterQueue.")
    String queue;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", order = 1, description = "Show at most N messages (default: ${DEFAULT-VALUE}).")
    long limit;

    @Override
    protected void validate() {
        DeadLetterReplayer.requirePositive("--limit", limit);
    }

    @Override
    protected int run(StackTarget target) {
        DeadLetterQueue dlq = DeadLetters.queue(target, queue);
        String url = target.queueUrl(dlq.name());
        List<Message> messages = new ArrayList<>();
        try (QueueScan scan = new QueueScan(target.sqs(), url, Duration.ofSeconds(60))) {
            for (List<Message> batch = scan.next(10); !batch.isEmpty(); batch = scan.next((int) Math.min(10, limit - messages.size()))) {
                messages.addAll(batch.subList(0, (int) Math.min(batch.size(), limit - messages.size())));
                if (messages.size() >= limit) {
                    break;
                }
            }
            List<DeadMessage> explained = DeadLetters.explain(target, dlq, messages);
            out().println(dlq.name() + ": " + explained.size() + (explained.size() == 1 ? " message" : " messages")
                    + " shown (from " + dlq.sourceText() + "); they stay in the queue.");
            Instant now = Instant.now();
            explained.forEach(m -> print(m, now));
        }
        return 0;
    }

    private void print(DeadMessage m, Instant now) {
        out().println();
        row("Message", m.message().messageId());
        row("Job", join(m.jobId(), m.jobType()));
        row("Event", join(m.detailType(), m.eventId()));
        List<String> attempts = new ArrayList<>();
        if (m.jobAttempts() != null) {
            attempts.add(m.jobAttempts() + (m.fromEvent() ? " (the event's attempt)" : " (the job's)"));
        }
        if (m.retryAttempts() != null) {
            attempts.add(m.retryAttempts() + " retries of the rule");
        }
        if (m.receives() != null) {
            attempts.add("received " + m.receives() + " times");
        }
        row("Attempts", String.join(", ", attempts));
        row("First failure", m.firstFailure() == null ? null : Ages.time(m.firstFailure()) + " (" + Ages.since(m.firstFailure(), now) + " ago)");
        row("Last failure", m.lastFailure() == null ? null : Ages.time(m.lastFailure()) + " (" + Ages.since(m.lastFailure(), now) + " ago)");
        row("Last error", m.error() == null ? "(none recorded: " + m.errorSource() + ")" : m.error());
        row("From", m.errorSource());
    }

    private void row(String label, String value) {
        if (value != null && !value.isBlank()) {
            out().println(JobPrinter.pad(label, LABEL + 1) + " " + value);
        }
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "  " + b;
    }
}
