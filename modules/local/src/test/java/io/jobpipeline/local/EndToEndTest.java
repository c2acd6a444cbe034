package io.jobpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.local.fanout.WebhookReceiver;
import io.jobpipeline.notifications.WebhookSignature;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One job from HTTP to both consumers, through the local stack built from the real template.yaml. */
class EndToEndTest {
    private static LocalPipeline stack;
    private static URI api;

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        api = stack.httpEndpoint();
    }

    @Test
    void aVehicleRegistrationTravelsFromHttpToBothConsumers() throws Exception {
        String secret = WebhookSignature.producerSecret(stack.template().parameters().get("WebhookSigningSecret"),
                TestHttp.DEFAULT_PRODUCER);
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            travelsToBothConsumers(receiver);
        }
    }

    private void travelsToBothConsumers(WebhookReceiver receiver) throws Exception {
        TestHttp.Response accepted = TestHttp.postJson(api, "/jobs",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-042\",\"plate\":\"B-JP 4242\",\"model\":\"Ford Transit\"},"
                        + "\"callbackUrl\":\"" + receiver.url("e2e") + "\"}");

        assertThat(accepted.status()).isEqualTo(202);
        String jobId = accepted.json().get("jobId").asText();
        assertThat(accepted.json().get("status").asText()).isEqualTo("QUEUED");
        assertThat(accepted.raw().headers().firstValue("location")).contains("/jobs/" + jobId);

        TestHttp.Response done = TestHttp.await(api, "/jobs/" + jobId,
                r -> r.status() == 200 && r.json().get("status").asText().equals("COMPLETED"), Duration.ofSeconds(15));
        assertThat(done.json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.json().get("attempts").asInt()).isEqualTo(1);
        assertThat(done.json().at("/result/plate").asText()).isEqualTo("B-JP 4242");
        assertThat(done.json().get("timeline").findValuesAsText("event")).containsSubsequence("ACCEPTED", "ATTEMPT_STARTED", "COMPLETED");

        String eventId = JobEvents.eventId(jobId, "JobCompleted", 0);
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        waitFor(() -> exists(dynamo, "CONSUMED#analytics#" + eventId, "EVENT"), "analytics to count the JobCompleted event");
        waitFor(() -> exists(dynamo, "CONSUMED#notifications#" + eventId, "EVENT"), "notifications to record the delivery");

        assertThat(receiver.received(eventId)).singleElement().satisfies(webhook -> {
            assertThat(webhook.signatureValid()).isTrue();
            assertThat(webhook.body()).contains("\"jobId\":\"" + jobId + "\"");
        });
        var deliveries = dynamo.query(b -> b.tableName("JobsTable").keyConditionExpression("PK = :pk AND begins_with(SK, :d)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("JOB#" + jobId), ":d", AttributeValue.fromS("DELIVERY#")))).items();
        assertThat(deliveries).singleElement().satisfies(d -> assertThat(d.get("outcome").s()).isEqualTo("DELIVERED"));
        assertThat(exists(dynamo, "VEHICLE#VAN-042", "VEHICLE")).isTrue();

        JsonNode stats = TestHttp.get(api, "/stats").json();
        assertThat(stats.at("/jobTypes/vehicle.register/completed").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.at("/jobTypes/vehicle.register/latencyMs/p95").isNumber()).isTrue();
    }

    @Test
    void healthIsReadyOnceTheStackRuns() {
        TestHttp.Response health = TestHttp.get(api, "/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void anUnknownJobIs404ProblemJson() {
        TestHttp.Response missing = TestHttp.get(api, "/jobs/0190c2a4-0000-7000-8000-000000000000");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).isEqualTo("application/problem+json");
    }

    static boolean exists(DynamoDbClient dynamo, String pk, String sk) {
        return dynamo.getItem(b -> b.tableName("JobsTable").key(Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk))))
                .hasItem();
    }

    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
