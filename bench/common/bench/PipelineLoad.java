package bench;

import com.sun.net.httpserver.HttpServer;
import io.jobpipeline.aws.DynamoDbStatsReader;
import io.jobpipeline.core.port.StatsReader.MinuteStats;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.lambda.LocalFunction;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Drives real jobs through a running local stack, the way producers do: POST /jobs over loopback HTTP with a bearer
 * token, from {@code producers} concurrent clients, half {@code vehicle.register}, half {@code inspection.submit} of a
 * registered vehicle, a share with a {@code callbackUrl} on a loopback webhook receiver (so the notification consumer
 * delivers webhooks). A run ends when the analytics consumer has counted every job COMPLETED: the whole path, intake
 * to fan-out. It records wall time, intake latencies, every AWS request (see {@link RequestTally}) and every function
 * invocation with its billed milliseconds.
 */
public final class PipelineLoad implements AutoCloseable {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);
    private static final List<String> TYPES = List.of("vehicle.register", "inspection.submit");

    private final LocalPipeline stack;
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI jobs;
    private final String token;
    private final HttpServer webhooks;
    private final AtomicInteger webhooksReceived = new AtomicInteger();
    private final DynamoDbClient probe;
    private final DynamoDbStatsReader stats;
    private final List<String> registered = new ArrayList<>();
    private final String runId = Long.toString(System.nanoTime() % 1_000_000, 36);
    private int nextVehicle;

    public PipelineLoad(LocalPipeline stack) throws Exception {
        this.stack = stack;
        this.jobs = stack.httpEndpoint().resolve("/jobs");
        this.token = stack.tokens().mint("bench-producer");
        this.webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhooks.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        webhooks.createContext("/hooks", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhooksReceived.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhooks.start();
        // The bench's own reads are not the pipeline's: left out of the request tally.
        this.probe = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(stack.dynamoEndpoint())
                .overrideConfiguration(c -> c.putExecutionAttribute(RequestTally.UNCOUNTED, true)).build();
        this.stats = new DynamoDbStatsReader(probe, stack.resources().ref("JobsTable"));
    }

    /** What one run cost and took. */
    public record Result(int jobs, int producers, double seconds, double intakeSeconds, long[] intakeNanosSorted, int non202,
                         RequestTally.Snapshot requests, Map<String, LocalFunction.Invocations> functions, int webhooks) {
        public double jobsPerSecond() {
            return jobs / seconds;
        }

        public double intakeMillis(double percentile) {
            int index = (int) Math.ceil(percentile / 100.0 * intakeNanosSorted.length) - 1;
            return intakeNanosSorted[Math.max(0, Math.min(intakeNanosSorted.length - 1, index))] / 1e6;
        }
    }

    /** Registers {@code vehicles} vehicles (and so warms the JIT up), waiting until they are all counted. */
    public Result warmUp(int vehicles, int producers) throws Exception {
        return run(vehicles, producers, 0, true);
    }

    public Result run(int total, int producers, double callbackShare) throws Exception {
        return run(total, producers, callbackShare, false);
    }

    private Result run(int total, int producers, double callbackShare, boolean registerOnly) throws Exception {
        if (!registerOnly && registered.isEmpty()) {
            throw new IllegalStateException("warm up first: inspections need registered vehicles");
        }
        List<String> bodies = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            boolean register = registerOnly || i % 2 == 0;
            String callback = !registerOnly && (i % 100) < callbackShare * 100
                    ? ",\"callbackUrl\":\"http://127.0.0.1:" + webhooks.getAddress().getPort() + "/hooks/" + i + "\"" : "";
            if (register) {
                String vehicle = "BN-" + runId + "-" + nextVehicle++;
                if (registerOnly) {
                    registered.add(vehicle);
                }
                bodies.add("{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"" + vehicle + "\",\"plate\":\"B-BN "
                        + (i % 10_000) + "\",\"model\":\"Ford Transit\"}" + callback + "}");
            } else {
                String vehicle = registered.get(i % registered.size());
                bodies.add("{\"type\":\"inspection.submit\",\"payload\":{\"vehicleId\":\"" + vehicle + "\",\"driverId\":\"DRV-"
                        + (i % 50) + "\",\"odometerKm\":" + (10_000 + i) + ",\"items\":[{\"name\":\"brakes\",\"ok\":true},"
                        + "{\"name\":\"lights\",\"ok\":" + (i % 7 != 0) + "}]}" + callback + "}");
            }
        }
        Instant from = Instant.now().minusSeconds(60);
        long completedBefore = completed(from);
        int webhooksBefore = webhooksReceived.get();
        RequestTally.Snapshot requestsBefore = RequestTally.snapshot();
        Map<String, LocalFunction.Invocations> invocationsBefore = invocations();

        AtomicInteger next = new AtomicInteger();
        AtomicInteger non202 = new AtomicInteger();
        long[] nanos = new long[total];
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                clients.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        HttpRequest request = HttpRequest.newBuilder(jobs).header("content-type", "application/json")
                                .header("authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build();
                        long t0 = System.nanoTime();
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        nanos[i] = System.nanoTime() - t0;
                        if (response.statusCode() != 202) {
                            non202.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> c : clients) {
                c.get();
            }
        }
        double intakeSeconds = (System.nanoTime() - started) / 1e9;
        long expected = completedBefore + total - non202.get();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (completed(from) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up: " + (completed(from) - completedBefore) + " of " + total + " jobs counted");
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // The rest of the fan-out (JobAccepted counts, webhooks) finishes before the bill is read.
        stack.bus().awaitIdle(Duration.ofSeconds(60));
        Arrays.sort(nanos);
        return new Result(total, producers, seconds, intakeSeconds, nanos, non202.get(), RequestTally.snapshot().minus(requestsBefore),
                minus(invocations(), invocationsBefore), webhooksReceived.get() - webhooksBefore);
    }

    private Map<String, LocalFunction.Invocations> invocations() {
        Map<String, LocalFunction.Invocations> now = new TreeMap<>();
        stack.template().functions().keySet().forEach(id -> stack.function(id).ifPresent(f -> now.put(id, f.invocations())));
        return now;
    }

    private static Map<String, LocalFunction.Invocations> minus(Map<String, LocalFunction.Invocations> now,
                                                                Map<String, LocalFunction.Invocations> before) {
        Map<String, LocalFunction.Invocations> delta = new TreeMap<>();
        now.forEach((id, n) -> delta.put(id, n.minus(before.getOrDefault(id, new LocalFunction.Invocations(0, 0, 0)))));
        return delta;
    }

    private long completed(Instant from) throws Exception {
        long sum = 0;
        String to = MINUTE.format(Instant.now().plusSeconds(120));
        for (String type : TYPES) {
            for (MinuteStats minute : stats.minutes(type, MINUTE.format(from), to)) {
                sum += minute.stats().completed();
            }
        }
        return sum;
    }

    @Override
    public void close() {
        webhooks.stop(0);
        probe.close();
    }
}
