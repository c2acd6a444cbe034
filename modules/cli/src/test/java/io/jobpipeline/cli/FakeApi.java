package io.jobpipeline.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for the pipeline's HTTP API on 127.0.0.1: canned answers per "METHOD /path", and every request it got. */
final class FakeApi implements AutoCloseable {
    record Answer(int status, String contentType, String body) {}

    record Received(String method, String path, String contentType, String authorization, String idempotencyKey, String body, String query) {}

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code route} ("GET /stats") with these, in order; the last one repeats. */
    FakeApi on(String route, Answer... inOrder) {
        answers.put(route, new ArrayDeque<>(List.of(inOrder)));
        return this;
    }

    static Answer json(int status, String body) {
        return new Answer(status, "application/json", body);
    }

    static Answer problem(int status, String body) {
        return new Answer(status, "application/problem+json", body);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var headers = exchange.getRequestHeaders();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                headers.getFirst("content-type"), headers.getFirst("authorization"), headers.getFirst("idempotency-key"), body,
                exchange.getRequestURI().getRawQuery()));
        Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
        Answer answer = queue == null ? problem(404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no route\"}")
                : queue.size() > 1 ? queue.poll() : queue.peek();
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
