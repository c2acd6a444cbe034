package io.jobpipeline.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.local.http.LocalSigningKey;
import io.jobpipeline.local.http.LocalTokens;
import io.jobpipeline.local.template.StackTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Plain HTTP against the local API, as a producer would call it. The methods without a token send one for
 * {@link #DEFAULT_PRODUCER}, valid for every stack started in memory in this JVM ({@link LocalOptions#ephemeral});
 * the overloads taking a token send that one, or no Authorization header when it is null.
 */
public final class TestHttp {
    /** The producer (token sub) of every request that names no token. */
    public static final String DEFAULT_PRODUCER = "test-producer";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static volatile LocalTokens tokens;
    private static volatile String defaultToken;

    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            return Json.tree(body);
        }
    }

    private TestHttp() {}

    /**
     * Tokens the in-memory stacks of this JVM accept: the JVM's in-memory key, with issuer and audience of the
     * template's authorizer (parameter defaults), as {@code pipeline.tokens()} gives them.
     */
    public static LocalTokens tokens() {
        LocalTokens t = tokens;
        if (t == null) {
            try {
                t = LocalTokens.of(StackTemplate.load(SharedLocalStack.TEMPLATE).authorizers().get(0), LocalSigningKey.inMemory());
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the authorizer of " + SharedLocalStack.TEMPLATE + ": " + e.getMessage(), e);
            }
            tokens = t;
        }
        return t;
    }

    /** A valid token for {@code producer}. */
    public static String token(String producer) {
        return tokens().mint(producer);
    }

    /** The token sent when a call names none: producer {@link #DEFAULT_PRODUCER}. */
    public static String defaultToken() {
        String t = defaultToken;
        if (t == null) {
            t = token(DEFAULT_PRODUCER);
            defaultToken = t;
        }
        return t;
    }

    public static Response post(URI base, String path, String contentType, byte[] body) {
        return post(base, path, contentType, body, defaultToken());
    }

    /** POST with {@code token} as the bearer token; null sends no Authorization header. */
    public static Response post(URI base, String path, String contentType, byte[] body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        return send(authorized(request, token).build());
    }

    public static Response postJson(URI base, String path, String json) {
        return postJson(base, path, json, defaultToken());
    }

    public static Response postJson(URI base, String path, String json, String token) {
        return post(base, path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8), token);
    }

    public static Response get(URI base, String path) {
        return get(base, path, defaultToken());
    }

    public static Response get(URI base, String path, String token) {
        return send(authorized(HttpRequest.newBuilder(base.resolve(path)).GET(), token).build());
    }

    /** Polls until the predicate holds or the timeout passes; returns the last response either way. */
    public static Response await(URI base, String path, Predicate<Response> done, Duration timeout) throws InterruptedException {
        return await(base, path, done, timeout, defaultToken());
    }

    public static Response await(URI base, String path, Predicate<Response> done, Duration timeout, String token)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = get(base, path, token);
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = get(base, path, token);
        }
        return last;
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        return token == null ? request : request.header("authorization", "Bearer " + token);
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
