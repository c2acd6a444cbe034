import io.jobpipeline.cli.PipelineCli;
import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@code ./pipeline dlq replay --rate N} of a dead-letter queue of M messages, through the CLI's own code (picocli and
 * all) against an in-process local stack: the replay the CLI does itself (a filter that takes every message, so SQS's
 * move task is not used), then the unfiltered one SQS's move task does. Prints elapsed seconds, messages/s and counts.
 *
 * <p>Run: {@code bench/dlq-replay/run [--messages M] [--rate N]} (see bench/README.md).
 */
public class DlqReplayBench {
    public static void main(String[] args) throws Exception {
        int messages = intArg(args, "--messages", 1000);
        int rate = intArg(args, "--rate", 50);
        Path template = Path.of("template.yaml");
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("run from the repository root (no template.yaml here)");
        }
        try (LocalPipeline stack = LocalPipeline.start(LocalOptions.ephemeral(template))) {
            // Queues of the bench's own, so the stack's worker does not take the replayed messages; the table and bus
            // are the stack's (the replay's audit record and the jobs' REPLAYED entries are written as they would be).
            Path own = Path.of("target/bench/dlq-replay/template.yaml");
            Files.createDirectories(own.getParent());
            Files.writeString(own, """
                    Resources:
                      BenchSource:
                        Type: AWS::SQS::Queue
                        Properties:
                          RedrivePolicy:
                            deadLetterTargetArn: !GetAtt BenchDeadLetters.Arn
                            maxReceiveCount: 3
                      BenchDeadLetters:
                        Type: AWS::SQS::Queue
                      JobsTable:
                        Type: AWS::DynamoDB::Table
                        Properties:
                          TableName: JobsTable
                      JobsEventBus:
                        Type: AWS::Events::EventBus
                        Properties:
                          Name: job-pipeline-jobs
                    """);
            SqsClient sqs = stack.clients().sqs();
            String dlq = sqs.createQueue(b -> b.queueName("BenchDeadLetters")).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String source = sqs.createQueue(b -> b.queueName("BenchSource").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}"))).queueUrl();
            List<String> target = List.of("--sqs-endpoint", stack.sqsEndpoint().toString(), "--dynamodb-endpoint",
                    stack.dynamoEndpoint().toString(), "--events-endpoint", stack.busEndpoint().toString(), "--template", own.toString());

            // Warm-up (not counted): the CLI's code and the emulators' paths, at full speed.
            fill(sqs, stack.clients().dynamoDb(), dlq, 200);
            run(target, "dlq", "replay", "BenchDeadLetters", "--type", "bench.replay");
            sqs.purgeQueue(b -> b.queueUrl(source));

            System.out.printf(Locale.ROOT, "dlq replay of %d messages at --rate %d (so about %.0f s), through ./pipeline's code:%n",
                    messages, rate, messages / (double) rate);
            System.out.printf(Locale.ROOT, "%-42s %9s %10s %7s %8s %7s %9s%n", "path", "seconds", "messages/s", "moved", "skipped",
                    "failed", "in source");
            for (boolean moveTask : new boolean[] {false, true}) {
                fill(sqs, stack.clients().dynamoDb(), dlq, messages);
                List<String> replay = new ArrayList<>(List.of("dlq", "replay", "BenchDeadLetters", "--rate", Integer.toString(rate)));
                if (!moveTask) {
                    replay.addAll(List.of("--type", "bench.replay")); // takes every message: the CLI moves them itself
                }
                long start = System.nanoTime();
                String out = run(target, replay.toArray(String[]::new));
                double seconds = (System.nanoTime() - start) / 1e9;
                long moved = count(out, "moved (\\d+) from");
                long inSource = depth(sqs, source);
                System.out.printf(Locale.ROOT, "%-42s %9.1f %10.1f %7d %8d %7d %9d%n",
                        moveTask ? "SQS move task (unfiltered)" : "CLI: receive, send, delete (--type)", seconds, moved / seconds,
                        moved, count(out, "skipped (\\d+)"), count(out, "failed (\\d+)"), inSource);
                if (depth(sqs, dlq) != 0 || inSource != messages) {
                    System.out.println("  (!) the DLQ kept " + depth(sqs, dlq) + ", the source got " + inSource + " of " + messages);
                }
                sqs.purgeQueue(b -> b.queueUrl(source));
            }
            System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, %s; one JVM hosts the stack and the CLI%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    LocalDate.now());
        }
        System.exit(0); // the emulators' non-daemon threads
    }

    /** Dead jobs: each message as the worker's queue carries it, and its record DEAD_LETTERED (the replay adds REPLAYED). */
    private static void fill(SqsClient sqs, DynamoDbClient dynamo, String dlq, int n) {
        for (int from = 0; from < n; from += 10) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            List<WriteRequest> records = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 10); i++) {
                String job = UUID.randomUUID().toString();
                records.add(WriteRequest.builder().putRequest(p -> p.item(Map.of("PK", AttributeValue.fromS("JOB#" + job),
                        "SK", AttributeValue.fromS("JOB"), "jobId", AttributeValue.fromS(job), "type", AttributeValue.fromS("bench.replay"),
                        "status", AttributeValue.fromS("DEAD_LETTERED"), "attempts", AttributeValue.fromN("3")))).build());
                batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - from))
                        .messageBody("{\"jobId\":\"" + job + "\",\"type\":\"bench.replay\",\"payload\":{\"n\":" + i + "}}")
                        .messageAttributes(Map.of("jobId", MessageAttributeValue.builder().dataType("String").stringValue(job).build(),
                                "jobType", MessageAttributeValue.builder().dataType("String").stringValue("bench.replay").build()))
                        .build());
            }
            dynamo.batchWriteItem(b -> b.requestItems(Map.of("JobsTable", records)));
            sqs.sendMessageBatch(b -> b.queueUrl(dlq).entries(batch));
        }
    }

    private static String run(List<String> target, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(target);
        StringWriter out = new StringWriter();
        CommandLine cli = PipelineCli.commandLine(new PipelineCli(Map.of()));
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute(all.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("./pipeline " + String.join(" ", args) + " exited " + code + ": " + out);
        }
        return out.toString();
    }

    private static long depth(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static long count(String out, String regex) {
        var m = java.util.regex.Pattern.compile(regex).matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
