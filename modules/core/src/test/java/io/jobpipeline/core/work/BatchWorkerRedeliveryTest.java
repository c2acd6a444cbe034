package io.jobpipeline.core.work;

import static io.jobpipeline.core.testing.TestJobs.CLOCK;
import static io.jobpipeline.core.testing.TestJobs.TYPE;
import static io.jobpipeline.core.testing.TestJobs.json;
import static io.jobpipeline.core.testing.TestJobs.raw;
import static io.jobpipeline.core.testing.TestJobs.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.event.JobDeadLettered;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.retry.RedeliveryBackoff;
import io.jobpipeline.core.testing.InMemoryJobStore;
import io.jobpipeline.core.testing.InMemoryJobStore.Op;
import io.jobpipeline.core.testing.RecordingPublisher;
import io.jobpipeline.core.testing.TestHandler;
import io.jobpipeline.core.testing.TestJobs;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which messages come back, and how long each waits first: backoff for what may pass, nothing for what cannot. */
class BatchWorkerRedeliveryTest {
    private static final int MAX_RECEIVE_COUNT = 3;

    private final InMemoryJobStore store = new InMemoryJobStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final AtomicBoolean vehicleRegistered = new AtomicBoolean(false);

    /** "retry": fails retryably until the vehicle is registered; "permanent": fails for good; otherwise succeeds. */
    private final TestHandler handler = new TestHandler(TYPE, (payload, context) -> {
        if (payload.path("retry").asBoolean() && !vehicleRegistered.get()) {
            throw JobFailure.retryable("vehicle not registered");
        }
        if (payload.path("permanent").asBoolean()) {
            throw JobFailure.permanent("this can never work");
        }
        context.write("inspection", context.jobId().value(), payload);
        return json("{\"ok\":true}");
    });

    private BatchWorker worker() {
        return new BatchWorker(new JobProcessor(store, store, new JobHandlers(List.of(handler)), CLOCK, MAX_RECEIVE_COUNT),
                publisher, RedeliveryBackoff.ofSeconds(2, 300), new Random(3));
    }

    private Duration visibilityOf(List<Redelivery> redeliveries, String messageId) {
        return redeliveries.stream().filter(r -> r.messageId().equals(messageId)).findFirst().orElseThrow().visibility();
    }

    @Test
    void aRetryableFailureWaitsLongerWithEachReceive() {
        Job job = TestJobs.stored(store, "{\"retry\":true}");

        Duration first = visibilityOf(worker().run(List.of(record("m", job, 1, null)), null), "m");
        Duration second = visibilityOf(worker().run(List.of(record("m", job, 2, null)), null), "m");

        assertThat(first.toSeconds()).isBetween(1L, 2L);
        assertThat(second.toSeconds()).isBetween(2L, 4L);
        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void theLastReceiveDeadLettersTheJobAndComesBackAtOnce() {
        Job job = TestJobs.stored(store, "{\"retry\":true}");
        worker().run(List.of(record("m", job, 1, null)), null);
        worker().run(List.of(record("m", job, 2, null)), null);

        List<Redelivery> last = worker().run(List.of(record("m", job, 3, null)), null);

        assertThat(last).containsExactly(new Redelivery("m", Duration.ZERO));
        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(publisher.published()).filteredOn(e -> e instanceof JobDeadLettered).hasSize(1);
    }

    @Test
    void aPermanentFailureDoesNotWaitOutTheBackoff() {
        Job job = TestJobs.stored(store, "{\"permanent\":true}");

        assertThat(worker().run(List.of(record("m", job, 1, null)), null)).containsExactly(new Redelivery("m", Duration.ZERO));
        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(worker().run(List.of(record("m", job, 3, null)), null)).containsExactly(new Redelivery("m", Duration.ZERO));
        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }

    @Test
    void aBodyThatIsNoJobMessageComesBackAtOnce() {
        assertThat(worker().run(List.of(raw("junk", "not json")), null)).containsExactly(new Redelivery("junk", Duration.ZERO));
    }

    @Test
    void aStoreOutageAndAnUnpublishedEventBothBackOff() {
        Job unreachable = TestJobs.stored(store, "{}");
        store.unavailable(Op.FIND);
        Duration outage = visibilityOf(worker().run(List.of(record("m1", unreachable, 2, null)), null), "m1");
        store.available();

        Job done = TestJobs.stored(store, "{}");
        publisher.refusing(e -> true);
        Duration unpublished = visibilityOf(worker().run(List.of(record("m2", done, 2, null)), null), "m2");

        assertThat(outage.toSeconds()).isBetween(2L, 4L);
        assertThat(unpublished.toSeconds()).isBetween(2L, 4L);
        assertThat(store.get(done.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aDeadLetteredJobReplayedAtReceiveCountOneRunsAgainAndCompletes() {
        Job job = TestJobs.stored(store, "{\"retry\":true}");
        for (int receive = 1; receive <= MAX_RECEIVE_COUNT; receive++) {
            worker().run(List.of(record("m", job, receive, null)), null);
        }
        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(store.get(job.id()).attempts()).isEqualTo(3);

        vehicleRegistered.set(true);
        // Moved back from the dead-letter queue: a new message, so its receive count starts again at 1.
        List<Redelivery> replay = worker().run(List.of(record("replayed", job, 1, null)), null);

        assertThat(replay).isEmpty();
        Job done = store.get(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(4);
        assertThat(store.entity("inspection", job.id().value())).isPresent();
        assertThat(publisher.published()).filteredOn(e -> e instanceof JobCompleted).extracting(JobEvent::jobId)
                .containsExactly(job.id().value());
    }
}
