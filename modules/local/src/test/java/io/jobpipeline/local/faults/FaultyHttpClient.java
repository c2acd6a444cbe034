package io.jobpipeline.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.core.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The SDK's HTTP client, wrapped to fail chosen operations the way the services fail them: a 500, a throttling error,
 * or a refused connection. The SDK sees real HTTP answers, so its own error parsing and retries run as in production.
 * {@link #failBatchEntries} makes SendMessageBatch report chosen entries failed and sends the others for real.
 */
public final class FaultyHttpClient implements SdkHttpClient {
    public enum Fault { SERVER_ERROR, THROTTLING, CONNECTION }

    private record Rule(String operation, Predicate<String> body, Fault fault) {}

    private final SdkHttpClient delegate;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private volatile Predicate<JsonNode> failedEntries;

    public FaultyHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    /** Fails every call of {@code operation} (e.g. {@code SendMessage}, {@code PutItem}) until {@link #heal}. */
    public FaultyHttpClient fail(String operation, Fault fault) {
        return fail(operation, body -> true, fault);
    }

    /** Fails the calls of {@code operation} whose request body contains {@code marker}, e.g. {@code "S":"JOB#}. */
    public FaultyHttpClient fail(String operation, String marker, Fault fault) {
        return fail(operation, body -> body.contains(marker), fault);
    }

    public FaultyHttpClient fail(String operation, Predicate<String> body, Fault fault) {
        rules.add(new Rule(operation, body, fault));
        return this;
    }

    /** SendMessageBatch entries matching {@code entry} come back in {@code Failed}; the rest are really sent. */
    public FaultyHttpClient failBatchEntries(Predicate<JsonNode> entry) {
        this.failedEntries = entry;
        return this;
    }

    /**
     * Refuses every call of {@code operation} with a 400 that no retry changes (DynamoDB's ValidationException, SQS's
     * InvalidParameterValue), until {@link #heal}: the answer a bug or a misconfigured stack gets.
     */
    public FaultyHttpClient refuse(String operation) {
        refusals.add(operation);
        return this;
    }

    public void heal() {
        refusals.clear();
        rules.clear();
        failedEntries = null;
    }

    /** How many calls of {@code operation} were failed (every SDK attempt counts). */
    public int injected(String operation) {
        return injected.getOrDefault(operation, new AtomicInteger()).get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
        String operation = target.substring(target.lastIndexOf('.') + 1);
        String body = body(request);
        if (refusals.contains(operation)) {
            injected.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
            String code = target.startsWith("AmazonSQS") ? "com.amazonaws.sqs#InvalidParameterValue"
                    : "com.amazonaws.dynamodb.v20120810#ValidationException";
            return fixed(() -> response(400, "{\"__type\":\"" + code + "\",\"message\":\"injected refusal\"}"));
        }
        for (Rule rule : rules) {
            if (rule.operation().equals(operation) && rule.body().test(body)) {
                injected.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
                return fixed(() -> failure(rule.fault(), target));
            }
        }
        Predicate<JsonNode> entries = failedEntries;
        if (operation.equals("SendMessageBatch") && entries != null) {
            return new PartialBatch(delegate, request, Json.tree(body), entries, injected).prepare();
        }
        return delegate.prepareRequest(request);
    }

    private static HttpExecuteResponse failure(Fault fault, String target) throws IOException {
        String service = target.startsWith("AmazonSQS") ? "com.amazonaws.sqs#" : "com.amazonaws.dynamodb.v20120810#";
        return switch (fault) {
            case SERVER_ERROR -> response(500, "{\"__type\":\"" + service + "InternalFailure\",\"message\":\"injected 500\"}");
            case THROTTLING -> response(400, "{\"__type\":\"" + service + "ThrottlingException\",\"message\":\"injected throttling\"}");
            case CONNECTION -> throw new ConnectException("injected: connection refused");
        };
    }

    public static HttpExecuteResponse response(int status, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
                .response(SdkHttpResponse.builder().statusCode(status)
                        .putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("Content-Length", Integer.toString(bytes.length))
                        .putHeader("x-amzn-RequestId", "injected").build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
    }

    public static String body(HttpExecuteRequest request) {
        return request.contentStreamProvider().map(p -> {
            try (InputStream in = p.newStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).orElse("");
    }

    public interface Call {
        HttpExecuteResponse call() throws IOException;
    }

    public static ExecutableHttpRequest fixed(Call call) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                return call.call();
            }

            @Override
            public void abort() {}
        };
    }

    @Override
    public String clientName() {
        return "Faulty(" + delegate.clientName() + ")";
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Sends the entries not chosen to fail, then reports the chosen ones failed next to SQS's own answer. */
    private record PartialBatch(SdkHttpClient delegate, HttpExecuteRequest original, JsonNode body,
                                Predicate<JsonNode> fails, Map<String, AtomicInteger> injected) {
        ExecutableHttpRequest prepare() {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            ArrayNode failed = Json.MAPPER.createArrayNode();
            for (JsonNode entry : body.get("Entries")) {
                if (fails.test(entry)) {
                    failed.addObject().put("Id", entry.get("Id").asText()).put("SenderFault", false)
                            .put("Code", "InternalError").put("Message", "injected entry failure");
                } else {
                    kept.add(entry);
                }
            }
            if (failed.isEmpty()) {
                return delegate.prepareRequest(original);
            }
            injected.computeIfAbsent("SendMessageBatch entry", o -> new AtomicInteger()).addAndGet(failed.size());
            if (kept.isEmpty()) {
                return fixed(() -> response(200, Json.write(Map.of("Successful", List.of(), "Failed", failed))));
            }
            byte[] reduced = Json.write(((ObjectNode) body.deepCopy()).set("Entries", kept)).getBytes(StandardCharsets.UTF_8);
            SdkHttpRequest http = original.httpRequest().toBuilder()
                    .putHeader("Content-Length", Integer.toString(reduced.length)).build();
            ExecutableHttpRequest real = delegate.prepareRequest(HttpExecuteRequest.builder().request(http)
                    .contentStreamProvider(() -> new ByteArrayInputStream(reduced)).build());
            return fixed(() -> {
                HttpExecuteResponse answer = real.call();
                ObjectNode json;
                try (InputStream in = answer.responseBody().orElseThrow()) {
                    json = (ObjectNode) Json.MAPPER.readTree(in);
                }
                ArrayNode all = json.has("Failed") ? (ArrayNode) json.get("Failed") : json.putArray("Failed");
                all.addAll(failed);
                return response(answer.httpResponse().statusCode(), Json.write(json));
            });
        }
    }
}
