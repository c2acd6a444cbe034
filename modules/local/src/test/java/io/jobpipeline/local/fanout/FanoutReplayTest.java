package io.jobpipeline.local.fanout;

import static io.jobpipeline.local.fanout.FanoutRig.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.local.TestHttp;
import io.jobpipeline.local.bus.BusStats;
import io.jobpipeline.local.bus.ReplayResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Replaying the bus archive re-delivers events to both consumers, and changes nothing: analytics counts each eventId
 * once, and notifications does not send a webhook again for an event it delivered (its ledger entry is the marker).
 */
class FanoutReplayTest {

    @Test
    void replayingAWindowRedeliversButChangesNeitherCountsNorWebhooks() throws Exception {
        try (FanoutRig rig = new FanoutRig(); WebhookReceiver receiver = new WebhookReceiver(rig.producerSecret())) {
            String jobType = "fanout.replay." + UUID.randomUUID().toString().substring(0, 8);
            // The envelopes get a time of their own, a whole second no other test's events share: the replay window.
            Instant window = Instant.now().minus(2, ChronoUnit.HOURS).plusSeconds((long) (Math.random() * 3600))
                    .truncatedTo(ChronoUnit.SECONDS);
            String completedJob = FanoutRig.newJobId();
            Map<String, Object> completed = FanoutRig.jobCompleted(completedJob, jobType, receiver.url("replay").toString(),
                    Instant.now(), 1234);
            Map<String, Object> failed = FanoutRig.jobFailed(FanoutRig.newJobId(), jobType, Instant.now());
            rig.publish("JobCompleted", completed, window);
            rig.publish("JobFailed", failed, window);
            String completedId = (String) completed.get("eventId");
            String failedId = (String) failed.get("eventId");
            waitFor(() -> rig.consumed("analytics", completedId) && rig.consumed("analytics", failedId)
                    && rig.consumed("notifications", completedId) && rig.consumed("notifications", failedId), "both consumers");
            rig.idle();

            JsonNode before = TestHttp.get(rig.stack.httpEndpoint(), "/stats").json().path("jobTypes").path(jobType);
            assertThat(before.path("completed").asLong()).isEqualTo(1);
            assertThat(before.path("failed").asLong()).isEqualTo(1);
            assertThat(before.at("/latencyMs/samples").asLong()).isEqualTo(1);
            assertThat(before.at("/latencyMs/p50").asDouble()).isCloseTo(1234, within(1234 * 0.02 + 1));
            assertThat(before.at("/latencyMs/p99").asDouble()).isCloseTo(1234, within(1234 * 0.02 + 1));
            assertThat(receiver.received(completedId)).hasSize(1);
            int recordsBefore = rig.deliveries(completedJob).size();
            BusStats busBefore = rig.stack.bus().stats();

            ReplayResult replay = rig.stack.replay("fanout-replay", window, window.plusSeconds(1));
            rig.idle();

            // Re-delivered: both events, each to both rules, and every delivery succeeded.
            assertThat(replay.eventsReplayed()).isEqualTo(2);
            assertThat(replay.deliveriesScheduled()).isEqualTo(4);
            BusStats busAfter = rig.stack.bus().stats();
            assertThat(busAfter.deliveriesSucceeded() - busBefore.deliveriesSucceeded()).isEqualTo(4);
            assertThat(busAfter.failedAttempts()).isEqualTo(busBefore.failedAttempts());
            // ... and nothing changed.
            JsonNode after = TestHttp.get(rig.stack.httpEndpoint(), "/stats").json().path("jobTypes").path(jobType);
            assertThat(after).isEqualTo(before);
            assertThat(receiver.received(completedId)).hasSize(1);
            assertThat(rig.deliveries(completedJob)).hasSize(recordsBefore);
        }
    }
}
