package io.jobpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.local.fanout.WebhookReceiver;
import io.jobpipeline.notifications.WebhookSignature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job's journey as GET /jobs/{id} shows it: its events (JobAccepted included, now that the worker publishes it) and
 * the consumers that applied each one; and JobAccepted counted once by analytics however often it arrives.
 */
class JobJourneyTest {

    @Test
    void theJobViewShowsEachEventAndTheConsumersThatAppliedItAndAReplayChangesNothing() throws Exception {
        LocalPipeline stack = SharedLocalStack.get();
        String secret = WebhookSignature.producerSecret(stack.template().parameters().get("WebhookSigningSecret"),
                TestHttp.DEFAULT_PRODUCER);
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            Instant before = Instant.now().minusSeconds(1);
            TestHttp.Response accepted = TestHttp.postJson(stack.httpEndpoint(), "/jobs",
                    "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-JRN\",\"plate\":\"B-JP 7\",\"model\":\"Vito\"},"
                            + "\"callbackUrl\":\"" + receiver.url("journey") + "\"}");
            String jobId = accepted.json().get("jobId").asText();
            String acceptedId = JobEvents.eventId(jobId, "JobAccepted", 0);
            String completedId = JobEvents.eventId(jobId, "JobCompleted", 0);

            JsonNode job = TestHttp.await(stack.httpEndpoint(), "/jobs/" + jobId, r -> r.status() == 200
                    && consumers(r.json(), acceptedId).contains("analytics")
                    && consumers(r.json(), completedId).containsAll(List.of("analytics", "notifications")),
                    Duration.ofSeconds(20)).json();
            assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
            JsonNode events = job.get("events");
            assertThat(events.findValuesAsText("detailType")).containsExactly("JobAccepted", "JobCompleted");
            assertThat(events.get(0).get("eventId").asText()).isEqualTo(acceptedId);
            assertThat(events.get(0).get("at").asText()).isEqualTo(job.get("createdAt").asText());
            // JobAccepted does not go to notifications (its rule wants outcomes), only to analytics.
            assertThat(consumers(job, acceptedId)).containsExactly("analytics");
            JsonNode delivery = events.get(1).get("deliveries").get(0);
            assertThat(delivery.get("outcome").asText()).isEqualTo("DELIVERED");
            assertThat(delivery.get("status").asInt()).isEqualTo(200);

            // Every archived event of the window again, JobAccepted included: analytics counts none of them twice.
            assertThat(stack.bus().awaitIdle(Duration.ofSeconds(10))).isTrue();
            JsonNode statsBefore = stats(stack);
            assertThat(statsBefore.at("/vehicle.register/accepted").asInt()).isPositive();
            stack.replay("journey-test", before, Instant.now().plusSeconds(1));
            assertThat(stack.bus().awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(stats(stack)).isEqualTo(statsBefore);
            JsonNode again = TestHttp.get(stack.httpEndpoint(), "/jobs/" + jobId).json();
            assertThat(consumers(again, acceptedId)).containsExactly("analytics");
            assertThat(consumers(again, completedId)).containsExactlyInAnyOrder("analytics", "notifications");
        }
    }

    private static JsonNode stats(LocalPipeline stack) {
        JsonNode stats = TestHttp.get(stack.httpEndpoint(), "/stats").json();
        return stats.get("jobTypes");
    }

    private static List<String> consumers(JsonNode job, String eventId) {
        List<String> found = new ArrayList<>();
        for (JsonNode event : job.path("events")) {
            if (event.path("eventId").asText().equals(eventId)) {
                event.path("consumers").forEach(c -> found.add(c.get("consumer").asText()));
            }
        }
        return found;
    }
}
