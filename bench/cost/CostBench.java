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
        int producers = intArg(args, "--producers", 2);
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
            // Write units by AWS's rules (see RequestTally.billWrites), not DynamoDB Local's ConsumedCapacity.
            pipeline.add(new Line("DynamoDB write units", q.billedWriteUnits() / jobs, DYNAMODB_WRITE_UNIT));
            pipeline.add(new Line("DynamoDB read units", q.readUnits() / jobs, DYNAMODB_READ_UNIT));
            pipeline.add(new Line("EventBridge events", q.count(RequestTally.EVENTS_PUT) / (double) jobs, EVENTBRIDGE_EVENT));

            List<Line> sample = sampleWay(pipeline, r, q, memory, jobs);
            System.out.printf(Locale.ROOT, "%n%d jobs (half vehicle.register, half inspection.submit; %.0f %% with a callbackUrl), "
                    + "%d producers, %.1f s; %d webhooks delivered%n", jobs, callbacks * 100, producers, r.seconds(), r.webhooks());
            breakdown(q, r, memory, jobs);

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
            System.out.printf(Locale.ROOT, "(DynamoDB Local's own ConsumedCapacity for the writes: %.2f units per job)%n", q.writeUnits() / jobs);
            System.out.printf(Locale.ROOT, "%nthis pipeline: $%.2f per million jobs; the sample way: $%.2f; ratio %.2f (targets: <= $6, <= 0.6)%n",
                    total, sampleTotal, total / sampleTotal);
            System.out.println("the sample way: the same job flow and features, built naively, counted step by step from this run's mix:");
            SAMPLE_STEPS.forEach(step -> System.out.println("  " + step));
            System.out.println("not priced: CloudWatch Logs and metrics, the archive ($0.10/GB), data transfer, DLQ traffic,");
            System.out.println("  Lambda's empty SQS polls (the same for both).");
            System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, %s (durations are this machine's against the emulators)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    LocalDate.now());
        }
        System.exit(0);
    }

    /** What the sample way does, printed with the table so the comparison can be checked. */
    static final List<String> SAMPLE_STEPS = List.of(
            "- every write its own request, no transactions, every item under 1 KB (1 write unit each, whatever this",
            "  pipeline's items weigh); a job-item write also writes the ByProducer index (projection ALL: 1 more unit);",
            "- intake: one invocation per request (billed as measured here), PutItem job, SendMessage;",
            "- worker, BatchSize 1: one invocation, ReceiveMessage and DeleteMessage per job (billed this worker's measured",
            "  ms per job, a lower bound), GetItem job, UpdateItem RUNNING, GetItem vehicle (inspections), PutItem entity,",
            "  UpdateItem COMPLETED, the same events put on the bus;",
            "- analytics, one invocation per event (billed as measured here per event): PutItem ledger entry, UpdateItem counter;",
            "- notifications, one invocation per routed event (as here): GetItem ledger, PutItem attempt, PutItem ledger entry;",
            "- strongly consistent reads (1 unit per item); HTTP API and EventBridge as here.");

    private static List<Line> sampleWay(List<Line> pipeline, PipelineLoad.Result r, RequestTally.Snapshot q,
                                        Map<String, Integer> memory, int jobs) {
        List<Line> sample = new ArrayList<>();
        LocalFunction.Invocations worker = r.functions().get("WorkerFunction");
        double events = q.count(RequestTally.EVENTS_PUT) / (double) jobs;
        double analyticsEvents = invocations(r, "AnalyticsFunction") / jobs;
        double notified = invocations(r, "NotificationFunction") / jobs;
        // The bench's mix is half inspections: each reads its vehicle.
        double inspections = 0.5;
        double intakeWrites = 1 + 1;
        double workerWrites = (1 + 1) + 1 + (1 + 1);
        double analyticsWrites = analyticsEvents * 2;
        double notificationWrites = notified * 2;
        double writes = intakeWrites + workerWrites + analyticsWrites + notificationWrites;
        double reads = 1 + inspections + notified;
        for (Line line : pipeline) {
            sample.add(switch (line.item()) {
                case "Lambda WorkerFunction requests" -> new Line(line.item(), 1.0, line.price());
                // Each job billed at least what it costs inside a batch; no less than Lambda's 1 ms.
                case "Lambda WorkerFunction GB-s" -> new Line(line.item(),
                        Math.max(worker.billedMillis() / (double) jobs, 1) * memory.get("WorkerFunction") / 1024.0 / 1000, line.price());
                case "SQS requests" -> new Line(line.item(), 3.0, line.price());
                case "DynamoDB write units" -> new Line(line.item(), writes, line.price());
                case "DynamoDB read units" -> new Line(line.item(), reads, line.price());
                default -> line;
            });
        }
        return sample;
    }

    private static boolean isRead(String operation) {
        return operation.endsWith("GetItem") || operation.endsWith("Query") || operation.endsWith("TransactGetItems");
    }

    private static double invocations(PipelineLoad.Result r, String function) {
        LocalFunction.Invocations inv = r.functions().get(function);
        return inv == null ? 0 : inv.count();
    }

    /**
     * Where the money goes: per function (or the local stack's own pollers, which Lambda runs for free) and operation,
     * requests, write units (table and index) and read units per job, and what they cost per million jobs.
     */
    private static void breakdown(RequestTally.Snapshot q, PipelineLoad.Result r, Map<String, Integer> memory, int jobs) {
        Map<String, String> functionOf = Map.of("io.jobpipeline.intake", "IntakeFunction", "io.jobpipeline.worker", "WorkerFunction",
                "io.jobpipeline.analytics", "AnalyticsFunction", "io.jobpipeline.notifications", "NotificationFunction",
                RequestTally.STACK, "event source mappings, bus");
        record Row(String who, String operation) implements Comparable<Row> {
            public int compareTo(Row o) {
                int c = who.compareTo(o.who);
                return c != 0 ? c : operation.compareTo(o.operation);
            }
        }
        Map<Row, double[]> rows = new java.util.TreeMap<>(); // requests, table WU/RU, index WU
        q.originRequests().forEach((key, n) -> {
            String[] k = key.split("\t");
            rows.computeIfAbsent(new Row(functionOf.getOrDefault(k[0], k[0]), k[1]), x -> new double[3])[0] += n;
        });
        q.originUnits().forEach((key, u) -> {
            String[] k = key.split("\t");
            if (isRead(k[1])) {
                double[] row = rows.computeIfAbsent(new Row(functionOf.getOrDefault(k[0], k[0]), k[1]), x -> new double[3]);
                row[k[2].equals("table") ? 1 : 2] += u;
            }
        });
        q.billedWrites().forEach((key, u) -> {
            String[] k = key.split("\t");
            double[] row = rows.computeIfAbsent(new Row(functionOf.getOrDefault(k[0], k[0]), k[1]), x -> new double[3]);
            row[k[2].equals("table") ? 1 : 2] += u;
        });
        System.out.println("\nwhere it goes, per job (write units by AWS's rules: per item ceil(max(before, after) / 1 KB), twice in a");
        System.out.println("transaction, an index write of the same size for an item in ByProducer; read units as DynamoDB Local reported them):");
        System.out.println("| function | operation | requests | write units (table + index) | read units | $ per million jobs |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: |");
        Map<String, Double> perFunction = new java.util.TreeMap<>();
        rows.forEach((row, v) -> {
            String op = row.operation();
            boolean read = isRead(op);
            double requests = v[0] / jobs;
            double dollars;
            String units;
            String readUnits;
            if (op.startsWith("DynamoDb.")) {
                dollars = read ? (v[1] + v[2]) / jobs * DYNAMODB_READ_UNIT * MILLION : (v[1] + v[2]) / jobs * DYNAMODB_WRITE_UNIT * MILLION;
                units = read ? "" : String.format(Locale.ROOT, "%.2f + %.2f", v[1] / jobs, v[2] / jobs);
                readUnits = read ? String.format(Locale.ROOT, "%.2f", (v[1] + v[2]) / jobs) : "";
            } else if (op.equals(RequestTally.EVENTS_PUT)) {
                dollars = requests * EVENTBRIDGE_EVENT * MILLION;
                units = "";
                readUnits = "";
            } else if (op.startsWith("Sqs.")) {
                dollars = requests * SQS_REQUEST * MILLION;
                units = "";
                readUnits = "";
            } else {
                dollars = 0; // PutEvents calls: EventBridge bills the entries, counted on their own row
                units = "";
                readUnits = "";
            }
            perFunction.merge(row.who(), dollars, Double::sum);
            System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %.2f |%n", row.who(), op, requests, units, readUnits, dollars);
        });
        r.functions().forEach((id, inv) -> {
            double dollars = inv.count() / (double) jobs * LAMBDA_REQUEST * MILLION
                    + gbSeconds(inv, memory.get(id)) / jobs * LAMBDA_GB_SECOND * MILLION;
            perFunction.merge(id, dollars, Double::sum);
            System.out.printf(Locale.ROOT, "| %s | Lambda: %.3f invocations, %.1f billed ms each, %d MB | %.3f | | | %.2f |%n", id,
                    inv.count() / (double) jobs, inv.count() == 0 ? 0 : inv.billedMillis() / (double) inv.count(), memory.get(id),
                    inv.count() / (double) jobs, dollars);
        });
        System.out.println("\nper function, all it causes (DynamoDB, SQS, events, Lambda; the HTTP API's $1.00 apart):");
        perFunction.forEach((who, dollars) -> System.out.printf(Locale.ROOT, "  %-30s $%.2f per million jobs%n", who, dollars));
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
