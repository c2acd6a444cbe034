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

/** ElasticMQ and DynamoDB Local in this JVM, started side by side (each takes seconds on its own). */
public final class Emulators implements AutoCloseable {
    private final SQSRestServer sqs;
    private final DynamoDBProxyServer dynamo;
    private final URI sqsEndpoint;
    private final URI dynamoEndpoint;

    private Emulators(SQSRestServer sqs, URI sqsEndpoint, DynamoDBProxyServer dynamo, URI dynamoEndpoint) {
        this.sqs = sqs;
        this.dynamo = dynamo;
        this.sqsEndpoint = sqsEndpoint;
        this.dynamoEndpoint = dynamoEndpoint;
    }

    /** Port 0 picks a free port. With a data directory DynamoDB keeps its tables there. */
    public static Emulators start(String host, int sqsPort, int dynamoPort, String region, String accountId, Optional<Path> data) {
        CompletableFuture<SQSRestServer> sqs = CompletableFuture.supplyAsync(() -> {
            SQSRestServer server = SQSRestServerBuilder.withInterface(host).withPort(sqsPort)
                    .withAWSRegion(region).withAWSAccountId(accountId).start();
            server.waitUntilStarted();
            return server;
        });
        int dynamoBound = dynamoPort == 0 ? freePort(host) : dynamoPort;
        CompletableFuture<DynamoDBProxyServer> dynamo = CompletableFuture.supplyAsync(() -> startDynamo(dynamoBound, data));
        try {
            SQSRestServer sqsServer = sqs.join();
            int sqsBound = sqsServer.waitUntilStarted().localAddress().getPort();
            return new Emulators(sqsServer, URI.create("http://" + host + ":" + sqsBound), dynamo.join(),
                    URI.create("http://" + host + ":" + dynamoBound));
        } catch (RuntimeException e) {
            sqs.thenAccept(SQSRestServer::stopAndWait);
            dynamo.thenAccept(Emulators::stopQuietly);
            throw e;
        }
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
        sqs.stopAndWait();
        stopQuietly(dynamo);
    }
}
