package io.jobpipeline.local.fanout;

import com.sun.net.httpserver.HttpServer;
import io.jobpipeline.notifications.WebhookSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on loopback (127.0.0.1, a free port) as a producer would run one: answers with the scripted
 * statuses in order (then 200), and keeps every request with whether its Standard Webhooks signature verifies.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    public record Received(String id, String timestamp, String signature, String body, boolean signatureValid,
                           int answered, Instant at) {}

    private final HttpServer server;
    private final String secret;
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** {@code secret}: the producer's {@code whsec_...} secret to verify with. */
    public WebhookReceiver(String secret) throws IOException {
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            int status;
            synchronized (script) {
                status = script.isEmpty() ? 200 : script.removeFirst();
            }
            received.add(new Received(id, timestamp, signature, body,
                    WebhookSignature.verify(secret, id, timestamp, body, signature), status, Instant.now()));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers the next requests with these statuses, then 200 again. */
    public WebhookReceiver answering(Integer... statuses) {
        synchronized (script) {
            script.addAll(List.of(statuses));
        }
        return this;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + path);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String webhookId) {
        return received.stream().filter(r -> webhookId.equals(r.id())).toList();
    }

    /** Waits until at least {@code n} requests came for this webhook id. */
    public List<Received> await(String webhookId, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received(webhookId).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " webhooks " + webhookId + ", got " + received(webhookId));
            }
            Thread.sleep(20);
        }
        return received(webhookId);
    }

    public String secret() {
        return secret;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
