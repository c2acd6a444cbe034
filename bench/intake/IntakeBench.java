import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Intake latency (p50, p99) and throughput with 1, 50 and 200 concurrent producers, over HTTP on loopback, against an
 * in-process local stack from template.yaml: JWT check, contract validation, the job record in DynamoDB Local and the
 * message in ElasticMQ per request, while the stack's own worker and consumers run the jobs in the same JVM.
 *
 * <p>Run: {@code bench/intake/run [--requests N] [--warmup N]} (see bench/README.md).
 */
public class IntakeBench {
    public static void main(String[] args) throws Exception {
        int requests = intArg(args, "--requests", 2000);
        int warmup = intArg(args, "--warmup", 1000);
        Path template = Path.of("template.yaml");
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("run from the repository root (no template.yaml here)");
        }
        try (LocalPipeline stack = LocalPipeline.start(LocalOptions.ephemeral(template))) {
            URI jobs = stack.httpEndpoint().resolve("/jobs");
            String token = stack.tokens().mint("bench-producer");
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                    .connectTimeout(Duration.ofSeconds(5)).build();
            run(http, jobs, token, 50, warmup); // JIT warm-up, not reported
            System.out.printf(Locale.ROOT, "%-12s %10s %10s %10s %12s %8s%n", "producers", "requests", "p50 ms", "p99 ms", "requests/s", "non-202");
            for (int producers : new int[] {1, 50, 200}) {
                Result r = run(http, jobs, token, producers, producers == 1 ? Math.min(requests, 500) : requests);
                System.out.printf(Locale.ROOT, "%-12d %10d %10.2f %10.2f %12.0f %8d%n", producers, r.count(), r.p(50), r.p(99),
                        r.count() / r.seconds(), r.errors());
            }
            System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; one JVM hosts the stack and the producers%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
        }
        System.exit(0);
    }

    record Result(long[] nanos, double seconds, int errors) {
        int count() {
            return nanos.length;
        }

        double p(double percentile) {
            int index = (int) Math.ceil(percentile / 100.0 * nanos.length) - 1;
            return nanos[Math.max(0, index)] / 1e6;
        }
    }

    static Result run(HttpClient http, URI jobs, String token, int producers, int total) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long[] nanos = new long[total];
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        String body = "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"BENCH-" + i
                                + "\",\"plate\":\"B-JP " + i + "\",\"model\":\"Ford Transit\"}}";
                        HttpRequest request = HttpRequest.newBuilder(jobs).header("content-type", "application/json")
                                .header("authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        long t0 = System.nanoTime();
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        nanos[i] = System.nanoTime() - t0;
                        if (response.statusCode() != 202) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(nanos);
        return new Result(nanos, seconds, errors.get());
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
