package io.jobpipeline.local.fanout;

import io.jobpipeline.core.Json;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.notifications.WebhookSignature;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** The shared local stack as a subscriber's test sees it: PutEvents through the SDK, the table, the producer secret. */
final class FanoutRig implements AutoCloseable {
    static final String PRODUCER = "fanout-producer";

    final LocalPipeline stack = SharedLocalStack.get();
    final EventBridgeClient events = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create())
            .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
            .endpointOverride(stack.busEndpoint()).build();
    final DynamoDbClient dynamo = stack.clients().dynamoDb();
    final String busName = stack.template().buses().get("JobsEventBus").name();

    /** The producer's secret as the operator hands it out: derived from the stack's (generated) master secret. */
    String producerSecret() {
        return WebhookSignature.producerSecret(stack.template().parameters().get("WebhookSigningSecret"), PRODUCER);
    }

    /** PutEvents of one job event; {@code time} is the envelope's time (null: now). */
    PutEventsResponse publish(String detailType, Map<String, Object> detail, Instant time) {
        PutEventsResponse response = events.putEvents(b -> b.entries(e -> e.eventBusName(busName).source("jobs.pipeline")
                .detailType(detailType).detail(Json.write(detail)).time(time)));
        if (response.failedEntryCount() != 0) {
            throw new AssertionError("PutEvents refused the event: " + response);
        }
        return response;
    }

    static Map<String, Object> jobCompleted(String jobId, String jobType, String callbackUrl, Instant completedAt, long latencyMs) {
        Map<String, Object> detail = base(jobId, jobType);
        if (callbackUrl != null) {
            detail.put("callbackUrl", callbackUrl);
        }
        detail.put("result", Map.of("ok", true));
        detail.put("acceptedAt", completedAt.minusMillis(latencyMs).toString());
        detail.put("completedAt", completedAt.toString());
        detail.put("durationMs", 12);
        return detail;
    }

    static Map<String, Object> jobFailed(String jobId, String jobType, Instant failedAt) {
        Map<String, Object> detail = base(jobId, jobType);
        detail.put("error", "handler threw");
        detail.put("retryable", true);
        detail.put("failedAt", failedAt.toString());
        return detail;
    }

    private static Map<String, Object> base(String jobId, String jobType) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventId", UUID.randomUUID().toString());
        detail.put("jobId", jobId);
        detail.put("type", jobType);
        detail.put("producer", PRODUCER);
        detail.put("attempt", 1);
        return detail;
    }

    boolean consumed(String consumer, String eventId) {
        return dynamo.getItem(b -> b.tableName("JobsTable").consistentRead(true).key(Map.of(
                "PK", AttributeValue.fromS("CONSUMED#" + consumer + "#" + eventId), "SK", AttributeValue.fromS("EVENT")))).hasItem();
    }

    /** The delivery records of a job, by attempt number. */
    List<Map<String, AttributeValue>> deliveries(String jobId) {
        return dynamo.query(b -> b.tableName("JobsTable").consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :d)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("JOB#" + jobId), ":d", AttributeValue.fromS("DELIVERY#"))))
                .items().stream().sorted(Comparator.comparingInt(d -> Integer.parseInt(d.get("attempt").n()))).toList();
    }

    void idle() throws InterruptedException {
        if (!stack.bus().awaitIdle(Duration.ofSeconds(60))) {
            throw new AssertionError("the bus did not become idle");
        }
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    static String newJobId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        events.close();
    }
}
