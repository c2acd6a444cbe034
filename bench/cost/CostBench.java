import bench.PipelineLoad;
import bench.RequestTally;
import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.lambda.LocalFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cost per million jobs, from what a run through the local stack counted: every function invocation and its billed
 * milliseconds (at the template's MemorySize), every SQS request, DynamoDB's consumed read and write units as DynamoDB
 * reports them, every event put on the bus, one HTTP API request per job; priced with the public on-demand prices the
 * issue gives. Beside it the same pipeline built "the sample way" (the worker invoked once per message, one
 * non-transactional write per step), derived from the same counts by the rules printed with it.
 *
 * <p>Run: {@code bench/cost/run [--jobs N] [--producers N] [--callbacks SHARE]} (see bench/README.md).
 */
public class CostBench {
    // USD, us-east-1 on-demand, as given in issue #8.
    static final double LAMBDA_REQUEST = 0.20 / 1e6;
    static final double LAMBDA_GB_SECOND = 0.0000166667;
    static final double HTTP_API_REQUEST = 1.00 / 1e6;
    static final double SQS_REQUEST = 0.40 / 1e6;
    static final double DYNAMODB_WRITE_UNIT = 1.25 / 1e6;
    static final double DYNAMODB_READ_UNIT = 0.25 / 1e6;
    static final double EVENTBRIDGE_EVENT = 1.00 / 1e6;
    static final double MILLION = 1e6;

    record Line(String item, double perJob, double price) {
        double perMillion() {
            return perJob * price * MILLION;
        }
    }

    public static void main(String[] args) throws Exception {
        int jobs = intArg(args, "--jobs", 2000);
        int producers = intArg(args, "--producers", 50);
        double callbacks = Double.parseDouble(stringArg(args, "--callbacks", "0.5"));
        Path template = Path.of("template.yaml");
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("run from the repository root (no template.yaml here)");
        }
        try (LocalPipeline stack = LocalPipeline.start(LocalOptions.ephemeral(template)); PipelineLoad load = new PipelineLoad(stack)) {
            load.warmUp(500, producers);
            PipelineLoad.Result r = load.run(jobs, producers, callbacks);
            if (r.non202() > 0) {
                throw new IllegalStateException(r.non202() + " jobs were not accepted; the bill would be wrong");
            }
            RequestTally.Snapshot q = r.requests();
            Map<String, Integer> memory = new java.util.TreeMap<>();
            stack.template().functions().forEach((id, f) -> memory.put(id, f.memoryMb()));

            List<Line> pipeline = new ArrayList<>();
            pipeline.add(new Line("HTTP API requests", 1.0, HTTP_API_REQUEST));
            r.functions().forEach((id, inv) -> {
                pipeline.add(new Line("Lambda " + id + " requests", inv.count() / (double) jobs, LAMBDA_REQUEST));
                pipeline.add(new Line("Lambda " + id + " GB-s", gbSeconds(inv, memory.get(id)) / jobs, LAMBDA_GB_SECOND));
            });
            pipeline.add(new Line("SQS requests", q.service("Sqs") / (double) jobs, SQS_REQUEST));
            pipeline.add(new Line("DynamoDB write units", q.writeUnits() / jobs, DYNAMODB_WRITE_UNIT));
            pipeline.add(new Line("DynamoDB read units", q.readUnits() / jobs, DYNAMODB_READ_UNIT));
            pipeline.add(new Line("EventBridge events", q.count(RequestTally.EVENTS_PUT) / (double) jobs, EVENTBRIDGE_EVENT));

            List<Line> sample = sampleWay(pipeline, r, q, memory, jobs);
            System.out.printf(Locale.ROOT, "%n%d jobs (half vehicle.register, half inspection.submit; %.0f %% with a callbackUrl), "
                    + "%d producers, %.1f s; %d webhooks delivered%n", jobs, callbacks * 100, producers, r.seconds(), r.webhooks());
            System.out.println("requests counted on the wire, per job:");
            q.requests().forEach((op, n) -> System.out.printf(Locale.ROOT, "  %-40s %.3f%n", op, n / (double) jobs));
            q.unitsByOperation().forEach((op, u) -> System.out.printf(Locale.ROOT, "  %-40s %.3f capacity units%n", op, u / jobs));
            r.functions().forEach((id, inv) -> System.out.printf(Locale.ROOT, "  %-40s %.3f invocations, %.1f billed ms each, %d MB%n",
                    "Lambda " + id, inv.count() / (double) jobs, inv.count() == 0 ? 0 : inv.billedMillis() / (double) inv.count(), memory.get(id)));

            System.out.printf(Locale.ROOT, "%n| item | per job (this pipeline) | $ per million jobs | per job (sample way) | $ per million jobs |%n");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            double total = 0;
            double sampleTotal = 0;
            for (int i = 0; i < pipeline.size(); i++) {
                Line ours = pipeline.get(i);
                Line theirs = sample.get(i);
                total += ours.perMillion();
                sampleTotal += theirs.perMillion();
                System.out.printf(Locale.ROOT, "| %s | %.3f | %.2f | %.3f | %.2f |%n", ours.item(), ours.perJob(), ours.perMillion(),
                        theirs.perJob(), theirs.perMillion());
            }
            System.out.printf(Locale.ROOT, "| **total** | | **%.2f** | | **%.2f** |%n", total, sampleTotal);
            System.out.printf(Locale.ROOT, "%nthis pipeline: $%.2f per million jobs; the sample way: $%.2f; ratio %.2f%n", total, sampleTotal,
                    total / sampleTotal);
            System.out.println("the sample way, derived from the same counts: the worker invoked once per message (BatchSize 1:");
            System.out.println("  one invocation, one ReceiveMessage and one DeleteMessage per job, each job billed the worker's");
            System.out.println("  measured milliseconds per job, a lower bound), and one plain write per step (the items written in");
            System.out.println("  transactions written one by one: half the transactional write units). Everything else the same.");
            System.out.println("not priced: CloudWatch Logs and metrics, the archive ($0.10/GB), data transfer, DLQ traffic.");
            System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, %s (durations are this machine's against the emulators)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    LocalDate.now());
        }
        System.exit(0);
    }

    private static List<Line> sampleWay(List<Line> pipeline, PipelineLoad.Result r, RequestTally.Snapshot q,
                                        Map<String, Integer> memory, int jobs) {
        List<Line> sample = new ArrayList<>();
        LocalFunction.Invocations worker = r.functions().get("WorkerFunction");
        double transactUnits = q.unitsByOperation().getOrDefault("DynamoDb.TransactWriteItems", 0.0);
        long esmSqs = q.count("Sqs.ReceiveMessage") + q.count("Sqs.DeleteMessageBatch") + q.count("Sqs.DeleteMessage");
        for (Line line : pipeline) {
            sample.add(switch (line.item()) {
                case "Lambda WorkerFunction requests" -> new Line(line.item(), 1.0, line.price());
                // Each job billed at least what it costs inside a batch; no less than Lambda's 1 ms.
                case "Lambda WorkerFunction GB-s" -> new Line(line.item(),
                        Math.max(worker.billedMillis() / (double) jobs, 1) * memory.get("WorkerFunction") / 1024.0 / 1000, line.price());
                case "SQS requests" -> new Line(line.item(), (q.service("Sqs") - esmSqs) / (double) jobs + 2.0, line.price());
                case "DynamoDB write units" -> new Line(line.item(), (q.writeUnits() - transactUnits / 2) / jobs, line.price());
                default -> line;
            });
        }
        return sample;
    }

    private static double gbSeconds(LocalFunction.Invocations inv, int memoryMb) {
        return inv.billedMillis() / 1000.0 * memoryMb / 1024.0;
    }

    static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
    }

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
