package io.jobpipeline.local.parity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The probe function of {@code parity/probe-template.yaml}: records each invocation in its table (what it was handed,
 * when it ran), then answers as the records ask. An SQS record's body is {@code {"probe": NAME, "sleepMs": n,
 * "respond": "ok" | "fail" | "malformed" | "empty-id"}} (on its first delivery, later ones answer ok; "malformed" and "empty-id" only for a batch of several records);
 * an HTTP API request is echoed back (its event as the body, or as the bare response with {@code x-probe-respond: bare}); a bus event with {@code "respond": "fail"} in its
 * detail throws, on every delivery.
 */
public final class ProbeHandler implements RequestStreamHandler {
    private final DynamoDbClient dynamo;
    private final String table;

    public ProbeHandler(Map<String, String> environment) {
        this.table = environment.get("PROBE_TABLE");
        this.dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(environment.get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                .endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_DYNAMODB"))).build();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long startedAt = System.currentTimeMillis();
        String raw = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        JsonNode event = Json.tree(raw);
        String response = event.has("Records") ? batch(event, startedAt)
                : event.has("detail-type") ? busEvent(event, startedAt)
                : http(event, raw, startedAt);
        output.write(response.getBytes(StandardCharsets.UTF_8));
    }

    private String batch(JsonNode event, long startedAt) {
        List<String> ids = new ArrayList<>();
        List<String> receiveCounts = new ArrayList<>();
        Set<String> probes = new LinkedHashSet<>();
        List<Map<String, String>> failures = new ArrayList<>();
        String answer = "ok";
        long sleepMs = 0;
        for (JsonNode record : event.get("Records")) {
            JsonNode body = Json.tree(record.get("body").asText());
            String id = record.get("messageId").asText();
            ids.add(id);
            receiveCounts.add(record.at("/attributes/ApproximateReceiveCount").asText());
            probes.add(body.path("probe").asText());
            sleepMs = Math.max(sleepMs, body.path("sleepMs").asLong(0));
            // A record asks for its answer on its first delivery only, so a redelivery then succeeds and the queue drains.
            String respond = "1".equals(receiveCounts.getLast()) ? body.path("respond").asText("ok") : "ok";
            switch (respond) {
                case "fail" -> failures.add(Map.of("itemIdentifier", id));
                case "malformed" -> answer = "malformed";
                case "empty-id" -> answer = "empty-id";
                default -> { }
            }
        }
        if (ids.size() == 1 && !answer.equals("ok")) {
            answer = "ok"; // a bad answer proves "the whole batch" only for a batch of several records
        }
        sleep(sleepMs);
        for (String probe : probes) {
            record(probe, "BATCH", startedAt, Map.of("size", AttributeValue.fromN(Integer.toString(ids.size())),
                    "messageIds", AttributeValue.fromL(ids.stream().map(AttributeValue::fromS).toList()),
                    "receiveCounts", AttributeValue.fromL(receiveCounts.stream().map(AttributeValue::fromS).toList())));
        }
        return switch (answer) {
            case "malformed" -> "{\"batchItemFailures\": not json";
            case "empty-id" -> Json.write(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", ""))));
            default -> Json.write(Map.of("batchItemFailures", failures));
        };
    }

    /** A rule target's invocation: recorded, then it fails on every try when the detail says {@code "respond": "fail"}. */
    private String busEvent(JsonNode event, long startedAt) {
        record(event.at("/detail/probe").asText(), "EVENT", startedAt, Map.of("eventId", AttributeValue.fromS(event.get("id").asText())));
        if ("fail".equals(event.at("/detail/respond").asText())) {
            throw new IllegalStateException("probe asked to fail");
        }
        return "null";
    }

    private String http(JsonNode event, String raw, long startedAt) {
        record(event.at("/pathParameters/name").asText(), "HTTP", startedAt, Map.of());
        if ("bare".equals(event.at("/headers/x-probe-respond").asText())) {
            return raw; // no statusCode: API Gateway makes it the body of a 200
        }
        return Json.write(Map.of("statusCode", 200, "headers", Map.of("content-type", "application/json"), "body", raw));
    }

    private void record(String probe, String kind, long startedAt, Map<String, AttributeValue> details) {
        Map<String, AttributeValue> item = new HashMap<>(details);
        item.put("PK", AttributeValue.fromS("PROBE#" + probe));
        item.put("SK", AttributeValue.fromS(kind + "#" + startedAt + "#" + UUID.randomUUID()));
        item.put("startedAt", AttributeValue.fromN(Long.toString(startedAt)));
        item.put("endedAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
