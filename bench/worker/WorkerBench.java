import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.AwsRequestCounter;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.settings.Environment;
import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.worker.WorkerHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Jobs per second through one worker, and the AWS requests each job costs, by service and operation.
 *
 * <p>An in-process local stack from template.yaml (ElasticMQ, DynamoDB Local, the bus and its consumers, all in this
 * JVM). One WorkerHandler, built as Lambda builds it but with a request-counting interceptor on its SDK clients, is fed
 * batches of 10 from a queue of the bench's own, one invocation at a time, as one Lambda container is; the bench plays
 * the event source mapping (receive, invoke, delete what succeeded). Jobs are loaded before the clock starts: their
 * records written, their messages sent. A warm-up round of each job type runs first and is not counted.
 *
 * <p>Run: {@code bench/worker/run [--jobs N] [--warmup N]} (see bench/README.md).
 */
public class WorkerBench {
    private static final int BATCH = 10;

    public static void main(String[] args) throws Exception {
        int jobs = intArg(args, "--jobs", 1000);
        int warmup = intArg(args, "--warmup", 300);
        Path template = Path.of(stringArg(args, "--template", "template.yaml"));
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("no template at " + template.toAbsolutePath() + "; run from the repository root or pass --template");
        }
        System.out.printf("starting the local stack from %s ...%n", template);
        try (LocalPipeline stack = LocalPipeline.start(LocalOptions.ephemeral(template))) {
            WorkerBench bench = new WorkerBench(stack);
            System.out.printf("warm-up: %d vehicle.register + %d inspection.submit (not counted)%n", warmup, warmup);
            bench.round("vehicle.register", warmup, bench::registration);
            bench.round("inspection.submit", warmup, bench::inspection);
            System.out.printf("%nmeasured: %d jobs of each type, one worker, batches of up to %d%n", jobs, BATCH);
            Result register = bench.round("vehicle.register", jobs, bench::registration);
            Result inspect = bench.round("inspection.submit", jobs, bench::inspection);
            register.print();
            inspect.print();
        }
        System.exit(0); // the emulators' non-daemon threads
    }

    private final LocalPipeline stack;
    private final SqsClient sqs;
    private final DynamoDbJobStore jobStore;
    private final String queueUrl;
    private final String queueArn;
    private final AwsRequestCounter counter = new AwsRequestCounter();
    private final WorkerHandler worker;
    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> vehicles = new ArrayList<>();
    private int vehiclesInspected;

    WorkerBench(LocalPipeline stack) {
        this.stack = stack;
        this.sqs = stack.clients().sqs();
        String table = stack.resources().ref("JobsTable");
        this.jobStore = new DynamoDbJobStore(stack.clients().dynamoDb(), table);
        this.queueUrl = sqs.createQueue(b -> b.queueName("bench-jobs-" + runId)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "180"))).queueUrl();
        this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<String, String> env = new HashMap<>();
        env.put("JOBS_TABLE", table);
        env.put("EVENT_BUS_NAME", stack.resources().busName("JobsEventBus"));
        env.put("JOBS_QUEUE_URL", queueUrl);
        env.put("MAX_RECEIVE_COUNT", "3");
        env.put("AWS_REGION", LocalOptions.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_SQS", stack.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", stack.busEndpoint().toString());
        this.worker = new WorkerHandler(env, new AwsClients(new Environment(env)), List.of(counter));
    }

    private Object registration(int i) {
        String id = "BENCH-" + runId + "-" + vehicles.size();
        vehicles.add(id);
        return Map.of("type", "vehicle.register", "vehicleId", id, "plate", "B-BN " + (vehicles.size() % 10000), "model", "Ford Transit");
    }

    private Object inspection(int i) {
        String vehicle = vehicles.get(vehiclesInspected++ % vehicles.size());
        return Map.of("type", "inspection.submit", "vehicleId", vehicle, "driverId", "DRV-" + (i % 50), "odometerKm", 10_000 + i,
                "items", List.of(Map.of("name", "brakes", "ok", true), Map.of("name", "lights", "ok", i % 7 != 0)));
    }

    /** Loads {@code n} jobs (not timed), then drains them through the worker (timed). */
    @SuppressWarnings("unchecked")
    private Result round(String type, int n, IntFunction<Object> payloads) throws Exception {
        List<Job> loaded = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> payload = new HashMap<>((Map<String, Object>) payloads.apply(i));
            payload.remove("type");
            loaded.add(Job.accepted(JobId.next(Clock.systemUTC()), new JobRequest(type, Json.MAPPER.valueToTree(payload), null, null),
                    "bench", Instant.now()));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> writes = new ArrayList<>();
            for (Job job : loaded) {
                writes.add(pool.submit(() -> {
                    jobStore.create(job);
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        }
        for (int from = 0; from < n; from += BATCH) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + BATCH); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i - from)).messageBody(Json.write(loaded.get(i).message())).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        }

        counter.reset();
        List<Long> latencies = new ArrayList<>();
        int done = 0;
        int failed = 0;
        int receives = 0;
        int deletes = 0;
        long started = System.nanoTime();
        while (done < n) {
            receives++;
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(BATCH).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                if (System.nanoTime() - started > 600_000_000_000L) {
                    throw new IllegalStateException("gave up: " + done + " of " + n + " done, " + failed + " failures");
                }
                continue;
            }
            long t0 = System.nanoTime();
            SQSBatchResponse response = worker.handleRequest(event(batch), new BenchContext(30_000));
            latencies.add(System.nanoTime() - t0);
            Set<String> back = new HashSet<>();
            response.getBatchItemFailures().forEach(f -> back.add(f.getItemIdentifier()));
            failed += back.size();
            List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
            for (Message m : batch) {
                if (!back.contains(m.messageId())) {
                    delete.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(delete.size())).receiptHandle(m.receiptHandle()).build());
                }
            }
            if (!delete.isEmpty()) {
                deletes++;
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(delete));
                done += delete.size();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(type, n, seconds, counter.snapshot(), counter.byService(), counter.meanMillis(), latencies, failed,
                receives, deletes);
    }

    private SQSEvent event(List<Message> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setAttributes(m.attributesAsStrings());
            r.setMessageAttributes(Map.of());
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion(LocalOptions.REGION);
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    record Result(String type, int jobs, double seconds, Map<String, Long> byOperation, Map<String, Long> byService,
                  Map<String, Double> meanMillis, List<Long> latenciesNanos, int failed, int receives, int deletes) {
        void print() {
            List<Long> sorted = latenciesNanos.stream().sorted().toList();
            System.out.printf(Locale.ROOT, "%n%s: %d jobs in %.2f s = %.0f jobs/s through one worker (%d invocations, "
                            + "%.1f jobs each; invocation p50 %.1f ms, p99 %.1f ms; %d records reported failed)%n",
                    type, jobs, seconds, jobs / seconds, sorted.size(), (double) jobs / Math.max(1, sorted.size()),
                    percentile(sorted, 50), percentile(sorted, 99), failed);
            System.out.printf(Locale.ROOT, "  AWS requests per job, by the worker: %.2f in all%n",
                    byService.values().stream().mapToLong(Long::longValue).sum() / (double) jobs);
            byService.forEach((service, count) -> System.out.printf(Locale.ROOT, "    %-12s %.2f%n", service, count / (double) jobs));
            byOperation.forEach((operation, count) -> System.out.printf(Locale.ROOT, "      %-32s %.2f   (%.1f ms each on the wire)%n",
                    operation, count / (double) jobs, meanMillis.getOrDefault(operation, 0.0)));
            System.out.printf(Locale.ROOT, "  by the event source mapping (Lambda's side): Sqs.ReceiveMessage %.2f, Sqs.DeleteMessageBatch %.2f%n",
                    receives / (double) jobs, deletes / (double) jobs);
        }

        private static double percentile(List<Long> sorted, int p) {
            if (sorted.isEmpty()) {
                return 0;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
        }
    }

    /** A Lambda context with {@code millis} left, as the template's 30 s timeout gives it. */
    private static final class BenchContext implements Context {
        private final long deadline;

        BenchContext(long millis) {
            this.deadline = System.currentTimeMillis() + millis;
        }

        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadline - System.currentTimeMillis());
        }

        public String getAwsRequestId() {
            return UUID.randomUUID().toString();
        }

        public String getLogGroupName() {
            return "/aws/lambda/WorkerFunction";
        }

        public String getLogStreamName() {
            return "bench";
        }

        public String getFunctionName() {
            return "WorkerFunction";
        }

        public String getFunctionVersion() {
            return "$LATEST";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:" + LocalOptions.REGION + ":" + LocalOptions.ACCOUNT_ID + ":function:WorkerFunction";
        }

        public CognitoIdentity getIdentity() {
            return null;
        }

        public ClientContext getClientContext() {
            return null;
        }

        public int getMemoryLimitInMB() {
            return 1024;
        }

        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) {
                    System.err.println(message);
                }

                public void log(byte[] message) {
                    System.err.println(new String(message));
                }
            };
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
