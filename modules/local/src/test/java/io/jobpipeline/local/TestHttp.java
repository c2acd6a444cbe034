package io.jobpipeline.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Plain HTTP against the local API, as a producer would call it. */
public final class TestHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            return Json.tree(body);
        }
    }

    private TestHttp() {}

    public static Response post(URI base, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        return send(request.build());
    }

    public static Response postJson(URI base, String path, String json) {
        return post(base, path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Response get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    /** Polls until the predicate holds or the timeout passes; returns the last response either way. */
    public static Response await(URI base, String path, Predicate<Response> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = get(base, path);
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = get(base, path);
        }
        return last;
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("content-type").orElse(""), response.body(), response);
        } catch (Exception e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        }
    }
}
