package io.jobpipeline.local.emulator;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ and DynamoDB Local in this JVM, started side by side (each takes seconds on its own). In memory, or with a
 * data directory: DynamoDB keeps its tables in {@code DIR/dynamodb}, ElasticMQ its queues and messages in an H2
 * database in {@code DIR/sqs} (see {@link PersistentElasticMq}).
 */
public final class Emulators implements AutoCloseable {
    private final Runnable stopSqs;
    private final DynamoDBProxyServer dynamo;
    private final URI sqsEndpoint;
    private final URI dynamoEndpoint;

    private Emulators(Runnable stopSqs, URI sqsEndpoint, DynamoDBProxyServer dynamo, URI dynamoEndpoint) {
        this.stopSqs = stopSqs;
        this.dynamo = dynamo;
        this.sqsEndpoint = sqsEndpoint;
        this.dynamoEndpoint = dynamoEndpoint;
    }

    /** A running ElasticMQ: the port it bound, and how to stop it. */
    private record Sqs(int port, Runnable stop) {}

    /**
     * Port 0 picks a free port. With a data directory DynamoDB keeps its tables there, and ElasticMQ its queues and
     * messages: both come back on the next start with the same directory.
     */
    public static Emulators start(String host, int sqsPort, int dynamoPort, String region, String accountId, Optional<Path> data) {
        CompletableFuture<Sqs> sqs = CompletableFuture.supplyAsync(() -> data.isPresent()
                ? startPersistentSqs(host, sqsPort, region, accountId, data.get().resolve("sqs"))
                : startSqs(host, sqsPort, region, accountId));
        int dynamoBound = dynamoPort == 0 ? freePort(host) : dynamoPort;
        CompletableFuture<DynamoDBProxyServer> dynamo = CompletableFuture.supplyAsync(() -> startDynamo(dynamoBound, data));
        try {
            Sqs sqsServer = sqs.join();
            return new Emulators(sqsServer.stop(), URI.create("http://" + host + ":" + sqsServer.port()), dynamo.join(),
                    URI.create("http://" + host + ":" + dynamoBound));
        } catch (RuntimeException e) {
            sqs.thenAccept(s -> s.stop().run());
            dynamo.thenAccept(Emulators::stopQuietly);
            throw e;
        }
    }

    private static Sqs startSqs(String host, int port, String region, String accountId) {
        SQSRestServer server = SQSRestServerBuilder.withInterface(host).withPort(port)
                .withAWSRegion(region).withAWSAccountId(accountId).start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        return new Sqs(bound, server::stopAndWait);
    }

    private static Sqs startPersistentSqs(String host, int port, String region, String accountId, Path directory) {
        PersistentElasticMq server = PersistentElasticMq.start(host, port, region, accountId, directory);
        return new Sqs(server.port(), server::close);
    }

    private static DynamoDBProxyServer startDynamo(int port, Optional<Path> data) {
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry"));
        if (data.isPresent()) {
            Path dir = data.get().resolve("dynamodb");
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            args.addAll(List.of("-dbPath", dir.toString(), "-sharedDb"));
        } else {
            args.addAll(List.of("-inMemory", "-sharedDb"));
        }
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    private static void stopQuietly(DynamoDBProxyServer server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }

    @Override
    public void close() {
        try {
            stopSqs.run();
        } finally {
            stopQuietly(dynamo);
        }
    }
}
