package io.jobpipeline.local.fanout;

import static io.jobpipeline.local.fanout.FanoutRig.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Webhooks from the notification consumer, end to end: PutEvents on the bus, the rule, the handler, a receiver. */
class FanoutWebhookTest {
    private static FanoutRig rig;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        rig = new FanoutRig();
        receiver = new WebhookReceiver(rig.producerSecret());
    }

    @AfterAll
    static void stop() {
        receiver.close();
        rig.close();
    }

    @Test
    void retriesAfter500sThenDeliversOnceEvenWhenPublishedTwice() throws Exception {
        // Three 500s use up the first invocation's tries; the bus retries the invocation, whose first try gets 200.
        receiver.answering(500, 500, 500);
        String jobId = FanoutRig.newJobId();
        Map<String, Object> detail = FanoutRig.jobCompleted(jobId, "vehicle.register", receiver.url("retry").toString(),
                Instant.now(), 250);
        String eventId = (String) detail.get("eventId");

        rig.publish("JobCompleted", detail, null);
        waitFor(() -> rig.consumed("notifications", eventId), "the delivery to be recorded as done");

        var received = receiver.await(eventId, 4, Duration.ofSeconds(5));
        assertThat(received).extracting(WebhookReceiver.Received::answered).containsExactly(500, 500, 500, 200);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.signatureValid()).as("signature of %s", r).isTrue();
            assertThat(r.signature()).startsWith("v1,");
            assertThat(Long.parseLong(r.timestamp())).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
            assertThat(Json.tree(r.body()).at("/detail/eventId").asText()).isEqualTo(eventId);
            assertThat(Json.tree(r.body()).path("detail-type").asText()).isEqualTo("JobCompleted");
        });
        // Backoff within the invocation: the second try waits at least 500 ms, the third at least 1 s more.
        assertThat(Duration.between(received.get(0).at(), received.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(Duration.between(received.get(1).at(), received.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));

        // Every attempt is a record; the last one is the delivery.
        var deliveries = rig.deliveries(jobId);
        assertThat(deliveries).extracting(d -> d.get("SK").s()).containsExactly("DELIVERY#" + eventId + "#1",
                "DELIVERY#" + eventId + "#2", "DELIVERY#" + eventId + "#3", "DELIVERY#" + eventId + "#4");
        assertThat(deliveries).extracting(d -> d.get("outcome").s()).containsExactly("FAILED", "FAILED", "FAILED", "DELIVERED");
        assertThat(deliveries).extracting(d -> d.get("status").n()).containsExactly("500", "500", "500", "200");
        assertThat(deliveries).allSatisfy(d -> {
            assertThat(d.get("url").s()).isEqualTo(receiver.url("retry").toString());
            assertThat(Instant.parse(d.get("at").s())).isBefore(Instant.now());
        });

        // The same event published again (as the worker does on redelivery): recorded once, not sent again.
        rig.publish("JobCompleted", detail, null);
        rig.idle();
        assertThat(receiver.received(eventId)).hasSize(4);
        assertThat(rig.deliveries(jobId)).hasSize(4);
    }

    @Test
    void aFailedJobWithoutCallbackIsRecordedAsNoCallback() throws Exception {
        String jobId = FanoutRig.newJobId();
        Map<String, Object> detail = FanoutRig.jobFailed(jobId, "vehicle.register", Instant.now());
        String eventId = (String) detail.get("eventId");

        rig.publish("JobFailed", detail, null);
        waitFor(() -> rig.consumed("notifications", eventId), "notifications to record the failure");

        assertThat(rig.deliveries(jobId)).singleElement().satisfies(d -> {
            assertThat(d.get("outcome").s()).isEqualTo("NO_CALLBACK");
            assertThat(d.get("url").s()).isEqualTo("none");
            assertThat(d.get("detailType").s()).isEqualTo("JobFailed");
        });
    }

    @Test
    void aCallbackToTheMetadataServiceIsRefusedAndNotRetried() throws Exception {
        String jobId = FanoutRig.newJobId();
        Map<String, Object> detail = FanoutRig.jobCompleted(jobId, "vehicle.register",
                "http://169.254.169.254/latest/meta-data/", Instant.now(), 10);
        String eventId = (String) detail.get("eventId");

        rig.publish("JobCompleted", detail, null);
        waitFor(() -> !rig.deliveries(jobId).isEmpty(), "the refusal to be recorded");
        rig.idle();

        assertThat(rig.deliveries(jobId)).singleElement().satisfies(d -> {
            assertThat(d.get("outcome").s()).isEqualTo("REFUSED");
            assertThat(d.get("detail").s()).contains("instance metadata");
            assertThat(d.get("status")).isEqualTo(AttributeValue.fromN("0"));
        });
        // Not delivered, so no ledger entry: a later replay would try again (and be refused again).
        assertThat(rig.consumed("notifications", eventId)).isFalse();
    }

    @Test
    void aCompletedJobWithoutCallbackDoesNotReachNotifications() throws Exception {
        String jobId = FanoutRig.newJobId();
        Map<String, Object> detail = FanoutRig.jobCompleted(jobId, "vehicle.register", null, Instant.now(), 10);
        String eventId = (String) detail.get("eventId");

        rig.publish("JobCompleted", detail, null);
        waitFor(() -> rig.consumed("analytics", eventId), "analytics to count it");
        rig.idle();

        assertThat(rig.consumed("notifications", eventId)).isFalse();
        assertThat(rig.deliveries(jobId)).isEmpty();
    }
}
