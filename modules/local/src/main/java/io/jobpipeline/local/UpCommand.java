package io.jobpipeline.local;

import io.jobpipeline.local.http.LocalSigningKey;
import io.jobpipeline.local.template.JwtAuthorizerSpec;
import io.jobpipeline.local.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./pipeline up}: runs the local stack in the foreground until Ctrl-C. */
@Command(name = "pipeline up", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the whole pipeline on this machine in one JVM, built from template.yaml, until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--template", description = "The SAM template to run (default: ${DEFAULT-VALUE}).", defaultValue = "template.yaml")
    Path template;

    @Option(names = "--data", paramLabel = "DIR", description = "Keep state in DIR across restarts (default: in memory).")
    Path data;

    @Option(names = "--host", description = "Interface to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--http-port", description = "HTTP API port (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
    int httpPort;

    @Option(names = "--sqs-port", description = "SQS (ElasticMQ) port (default: ${DEFAULT-VALUE}).", defaultValue = "9324")
    int sqsPort;

    @Option(names = "--dynamodb-port", description = "DynamoDB Local port (default: ${DEFAULT-VALUE}).", defaultValue = "8000")
    int dynamoPort;

    @Option(names = "--events-port", description = "EventBridge port (default: ${DEFAULT-VALUE}).", defaultValue = "4010")
    int busPort;

    @Option(names = "--parameter", paramLabel = "NAME=VALUE", description = "Override a template parameter.")
    Map<String, String> parameters = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        if (!Files.isRegularFile(template)) {
            System.err.println("error: no template at " + template.toAbsolutePath() + " (give one with --template)");
            return 2;
        }
        LocalOptions options = new LocalOptions(template, host, httpPort, sqsPort, dynamoPort, busPort,
                Optional.ofNullable(data), parameters, LocalOptions.REGION, LocalOptions.ACCOUNT_ID,
                Optional.of(LocalSigningKey.defaultFile(Optional.ofNullable(data))));
        String busy = busyPort();
        if (busy != null) {
            System.err.println("error: " + busy);
            return 1;
        }
        LocalPipeline pipeline;
        try {
            pipeline = LocalPipeline.start(options);
        } catch (TemplateException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("error: the local stack did not start: " + rootMessage(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the pipeline...");
            pipeline.close();
            stopped.countDown();
        }, "pipeline-shutdown"));
        printEndpoints(pipeline);
        long millis = (System.nanoTime() - started) / 1_000_000;
        long jvmMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.printf("Ready in %d ms (%d ms since JVM start). Ctrl-C stops.%n", millis, jvmMillis);
        System.out.flush();
        stopped.await();
        return 0;
    }

    private void printEndpoints(LocalPipeline pipeline) {
        System.out.println("Serverless Job Pipeline, local stack from " + template.toAbsolutePath().normalize());
        System.out.println("  HTTP API     " + pipeline.httpEndpoint() + "   " + String.join(", ", pipeline.routeKeys()) + ", GET /health");
        System.out.println("  SQS          " + pipeline.sqsEndpoint() + "   queues: " + String.join(", ", pipeline.resources().queueUrls().keySet()));
        System.out.println("  DynamoDB     " + pipeline.dynamoEndpoint() + "   tables: "
                + String.join(", ", pipeline.template().tables().values().stream().map(t -> t.tableName()).toList()));
        System.out.println("  EventBridge  " + pipeline.busEndpoint() + "   buses: "
                + String.join(", ", pipeline.template().buses().values().stream().map(b -> b.name()).toList()));
        System.out.println("  State        " + (data == null ? "in memory" : data.toAbsolutePath().normalize()));
        List<JwtAuthorizerSpec> authorizers = pipeline.template().authorizers();
        for (JwtAuthorizerSpec a : authorizers) {
            System.out.println("  Auth         JWT " + a.name() + " (iss " + a.issuer() + ", aud " + String.join(" ", a.audience())
                    + ") on " + a.routes().stream().map(r -> r.method() + " " + r.path()).collect(Collectors.joining(", ")));
        }
        if (!authorizers.isEmpty()) {
            String key = pipeline.signingKey().file().map(f -> f.toAbsolutePath().normalize().toString()).orElse("in memory");
            System.out.println("               signing key " + key + (pipeline.signingKey().created() ? " (new)" : "")
                    + "; a token: ./pipeline token --producer NAME" + (data == null ? "" : " --data " + data));
        }
    }

    /** Checks the fixed ports first: a clear line beats an emulator's bind stack trace. */
    private String busyPort() {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        ports.put("--http-port", httpPort);
        ports.put("--sqs-port", sqsPort);
        ports.put("--dynamodb-port", dynamoPort);
        ports.put("--events-port", busPort);
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            if (port.getValue() == 0) {
                continue;
            }
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(host, port.getValue()));
            } catch (java.io.IOException e) {
                return "port " + port.getValue() + " on " + host + " is in use (another ./pipeline up?); stop it or choose another with "
                        + port.getKey();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    static int run(String... args) {
        return new CommandLine(new UpCommand()).execute(args);
    }
}
