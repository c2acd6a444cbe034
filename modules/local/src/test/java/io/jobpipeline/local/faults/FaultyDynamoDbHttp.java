package io.jobpipeline.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The SDK's HTTP client, wrapped: a share of DynamoDB calls is answered the way a throttled or failing DynamoDB
 * answers, before anything reaches DynamoDB Local (ProvisionedThroughputExceeded, ThrottlingException,
 * RequestLimitExceeded, InternalServerError), so the SDK parses the error itself. Optionally a share of writes loses its
 * answer: DynamoDB Local applies it, the worker gets a 500. Whatever reaches DynamoDB Local and succeeds is recorded:
 * how often each entity item was written by a TransactWriteItems that went through.
 */
public final class FaultyDynamoDbHttp implements SdkHttpClient {
    private static final String[][] FAULTS = {
            {"400", "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded."},
            {"400", "ThrottlingException", "Rate of requests exceeds the allowed throughput."},
            {"400", "RequestLimitExceeded", "Throughput exceeds the current throughput limit for your account."},
            {"500", "InternalServerError", "Internal server error"},
    };

    private final SdkHttpClient real = UrlConnectionHttpClient.builder().build();
    private final Random random;
    private volatile double faultRate;
    private volatile double lostAnswerRate;
    private final Map<String, AtomicInteger> lostAnswers = new ConcurrentHashMap<>();
    private final AtomicLong injected = new AtomicLong();
    private final AtomicLong dynamoCalls = new AtomicLong();
    private final Map<String, AtomicInteger> entityWrites = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unansweredWrites = new ConcurrentHashMap<>();

    public FaultyDynamoDbHttp(long seed, double faultRate) {
        this(seed, faultRate, 0);
    }

    /** {@code lostAnswerRate}: the share of UpdateItem and TransactWriteItems calls applied whose answer is a 500. */
    public FaultyDynamoDbHttp(long seed, double faultRate, double lostAnswerRate) {
        this.random = new Random(seed);
        this.faultRate = faultRate;
        this.lostAnswerRate = lostAnswerRate;
    }

    /** No faults, only the record of applied writes. */
    public static FaultyDynamoDbHttp recordingOnly() {
        return new FaultyDynamoDbHttp(0, 0);
    }

    /** From now on every call goes through untouched; applied writes are still recorded. */
    public void stop() {
        faultRate = 0;
        lostAnswerRate = 0;
    }

    /** How many answers to {@code operation} (UpdateItem, TransactWriteItems) were lost. */
    public int lostAnswers(String operation) {
        AtomicInteger n = lostAnswers.get(operation);
        return n == null ? 0 : n.get();
    }

    public long injected() {
        return injected.get();
    }

    public long dynamoCalls() {
        return dynamoCalls.get();
    }

    /** How often a TransactWriteItems that DynamoDB Local applied wrote the item with this partition key. */
    public int writesOf(String partitionKey) {
        AtomicInteger n = entityWrites.get(partitionKey);
        return n == null ? 0 : n.get();
    }

    /**
     * How often a TransactWriteItems that wrote the item with this partition key got no answer (a timeout, an aborted
     * call): DynamoDB Local may or may not have applied it.
     */
    public int unansweredWritesOf(String partitionKey) {
        AtomicInteger n = unansweredWrites.get(partitionKey);
        return n == null ? 0 : n.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
        if (!target.startsWith("DynamoDB_20120810.")) {
            return real.prepareRequest(request);
        }
        dynamoCalls.incrementAndGet();
        String[] fault = pickFault();
        if (fault != null) {
            injected.incrementAndGet();
            return canned(Integer.parseInt(fault[0]), fault[1], fault[2]);
        }
        ExecutableHttpRequest call = real.prepareRequest(request);
        boolean write = target.endsWith(".TransactWriteItems") || target.endsWith(".UpdateItem");
        if (!write) {
            return call;
        }
        String body = body(request);
        boolean loseAnswer = loseAnswer();
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                HttpExecuteResponse response;
                try {
                    response = call.call();
                } catch (IOException | RuntimeException e) {
                    if (target.endsWith(".TransactWriteItems")) {
                        recordWrites(body, unansweredWrites);
                    }
                    throw e;
                }
                if (response.httpResponse().statusCode() == 200 && target.endsWith(".TransactWriteItems")) {
                    recordWrites(body, entityWrites);
                }
                if (loseAnswer) {
                    response.responseBody().ifPresent(in -> {
                        try (in) {
                            in.readAllBytes();
                        } catch (IOException ignored) {
                            // the answer is thrown away anyway
                        }
                    });
                    lostAnswers.computeIfAbsent(target.substring(target.indexOf('.') + 1), k -> new AtomicInteger()).incrementAndGet();
                    return canned(500, "InternalServerError", "the answer got lost").call();
                }
                return response;
            }

            @Override
            public void abort() {
                call.abort();
            }
        };
    }

    private synchronized String[] pickFault() {
        if (faultRate <= 0 || random.nextDouble() >= faultRate) {
            return null;
        }
        return FAULTS[random.nextInt(FAULTS.length)];
    }

    private synchronized boolean loseAnswer() {
        return lostAnswerRate > 0 && random.nextDouble() < lostAnswerRate;
    }

    private static void recordWrites(String body, Map<String, AtomicInteger> writes) {
        JsonNode items = Json.tree(body).path("TransactItems");
        for (JsonNode item : items) {
            String pk = item.path("Put").path("Item").path("PK").path("S").asText(null);
            if (pk != null) {
                writes.computeIfAbsent(pk, k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    private static String body(HttpExecuteRequest request) {
        return request.contentStreamProvider().map(p -> {
            try (InputStream in = p.newStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "{}";
            }
        }).orElse("{}");
    }

    private static ExecutableHttpRequest canned(int status, String code, String message) {
        byte[] body = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + code + "\",\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                SdkHttpResponse response = SdkHttpResponse.builder().statusCode(status)
                        .putHeader("Content-Type", "application/x-amz-json-1.0")
                        .putHeader("Content-Length", Integer.toString(body.length))
                        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                        .build();
                return HttpExecuteResponse.builder().response(response)
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {}
        };
    }

    @Override
    public void close() {
        real.close();
    }
}
