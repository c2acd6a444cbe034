import bench.PipelineLoad;
import bench.RawCeiling;
import bench.RequestTally;
import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end jobs per second through the local stack (POST /jobs to the analytics consumer's count), beside the
 * emulators' raw ceiling for the same SQS and DynamoDB write requests with no pipeline code, as a ratio; then intake
 * latency p50/p99 at 1, 50 and 200 concurrent producers.
 *
 * <p>Run: {@code bench/throughput/run [--jobs N] [--producers N] [--warmup N]} (see bench/README.md).
 */
public class ThroughputBench {
    public static void main(String[] args) throws Exception {
        int jobs = intArg(args, "--jobs", 3000);
        int producers = intArg(args, "--producers", 50);
        int warmup = intArg(args, "--warmup", 1500);
        Path template = Path.of("template.yaml");
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("run from the repository root (no template.yaml here)");
        }
        try (LocalPipeline stack = LocalPipeline.start(LocalOptions.ephemeral(template)); PipelineLoad load = new PipelineLoad(stack)) {
            System.out.printf(Locale.ROOT, "warm-up: %d vehicles registered through the whole pipeline (not counted)%n", warmup);
            load.warmUp(warmup, producers);
            load.run(warmup, producers, 0.5);

            PipelineLoad.Result e2e = load.run(jobs, producers, 0.5);
            Map<String, Long> mix = RawCeiling.emulatorRequests(e2e.requests());
            System.out.printf(Locale.ROOT, "%nend to end: %d jobs (half vehicle.register, half inspection.submit, half with a webhook), "
                    + "%d producers: %.1f s, %.0f jobs/s; %d answers other than 202%n", jobs, producers, e2e.seconds(),
                    e2e.jobsPerSecond(), e2e.non202());
            System.out.println("  SQS and DynamoDB write requests per job, as counted on the wire:");
            mix.forEach((op, n) -> System.out.printf(Locale.ROOT, "    %-36s %.2f%n", op, n / (double) jobs));

            RawCeiling.Result ceiling = new RawCeiling(stack).best(mix, new int[] {8, 32, 64});
            System.out.printf(Locale.ROOT, "%nemulators' raw ceiling: the same %d requests from %d threads, no pipeline code: %.1f s, "
                    + "%.0f jobs/s%n", ceiling.requests(), ceiling.threads(), ceiling.seconds(), jobs / ceiling.seconds());
            System.out.printf(Locale.ROOT, "ratio: end to end / ceiling = %.0f %%%n", 100 * e2e.jobsPerSecond() / (jobs / ceiling.seconds()));

            System.out.printf(Locale.ROOT, "%nintake latency (POST /jobs over loopback, each run drained before the next)%n");
            System.out.printf(Locale.ROOT, "%-10s %9s %9s %9s %12s %8s%n", "producers", "requests", "p50 ms", "p99 ms", "requests/s", "non-202");
            for (int[] run : new int[][] {{1, 300}, {50, 2000}, {200, 2000}}) {
                PipelineLoad.Result r = load.run(run[1], run[0], 0.5);
                System.out.printf(Locale.ROOT, "%-10d %9d %9.1f %9.1f %12.0f %8d%n", run[0], run[1], r.intakeMillis(50),
                        r.intakeMillis(99), run[1] / r.intakeSeconds(), r.non202());
            }
            System.out.printf(Locale.ROOT, "%nmachine: %d cores, %s %s, %s; one JVM hosts the stack, the producers and the bench%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    LocalDate.now());
        }
        System.exit(0); // the emulators' non-daemon threads
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
