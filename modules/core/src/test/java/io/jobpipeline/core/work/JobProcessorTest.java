package io.jobpipeline.core.work;

import static io.jobpipeline.core.testing.TestJobs.CLOCK;
import static io.jobpipeline.core.testing.TestJobs.TYPE;
import static io.jobpipeline.core.testing.TestJobs.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.event.JobAccepted;
import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.event.JobDeadLettered;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.event.JobFailed;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.job.TimelineEntry;
import io.jobpipeline.core.testing.InMemoryJobStore;
import io.jobpipeline.core.testing.InMemoryJobStore.Op;
import io.jobpipeline.core.testing.TestHandler;
import io.jobpipeline.core.testing.TestJobs;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobProcessorTest {
    private static final int MAX_RECEIVE_COUNT = 3;

    private final InMemoryJobStore store = new InMemoryJobStore();

    /** Writes the payload as a vehicle, returns {"ok": true}; fails retryably when the payload says "fail". */
    private final TestHandler handler = new TestHandler(TYPE, (payload, context) -> {
        if (payload.path("fail").asBoolean()) {
            throw JobFailure.retryable("backend said no");
        }
        context.write("vehicle", payload.path("vehicleId").asText(), payload);
        return json("{\"ok\":true}");
    });

    private JobProcessor processor(TestHandler h) {
        return new JobProcessor(store, store, new JobHandlers(List.of(h)), CLOCK, MAX_RECEIVE_COUNT);
    }

    @Test
    void successCompletesOnceCommitsWritesAndEmitsOneJobCompleted() {
        Job job = TestJobs.stored(store, "{\"vehicleId\":\"VAN-042\"}");

        Outcome outcome = processor(handler).process(job.message(), 1);

        assertThat(outcome.done()).isTrue();
        assertThat(outcome.error()).isNull();
        assertThat(outcome.events()).hasSize(2);
        assertThat(outcome.events().getFirst()).isInstanceOfSatisfying(JobAccepted.class, accepted -> {
            assertThat(accepted.eventId()).isEqualTo(JobEvents.eventId(job.id().value(), "JobAccepted", 0));
            assertThat(accepted.acceptedAt()).isEqualTo(job.createdAt());
            assertThat(accepted.attempt()).isZero();
            assertThat(accepted.producer()).isEqualTo(job.producer());
        });
        JobCompleted completed = (JobCompleted) outcome.events().get(1);
        assertThat(completed.eventId()).isEqualTo(JobEvents.eventId(job.id().value(), "JobCompleted", 0));
        assertThat(completed.jobId()).isEqualTo(job.id().value());
        assertThat(completed.attempt()).isEqualTo(1);
        assertThat(completed.result()).isEqualTo(json("{\"ok\":true}"));
        assertThat(completed.callbackUrl()).isEqualTo(job.callbackUrl());

        Job stored = store.get(job.id());
        assertThat(stored.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.result()).isEqualTo(json("{\"ok\":true}"));
        assertThat(stored.lastEvent()).isEqualTo(completed);
        assertThat(stored.timeline()).extracting(TimelineEntry::event).containsExactly("ACCEPTED", "ATTEMPT_STARTED", "COMPLETED");
        assertThat(store.entity("vehicle", "VAN-042")).contains(json("{\"vehicleId\":\"VAN-042\"}"));
        assertThat(handler.invocations()).isEqualTo(1);
    }

    @Test
    void aResultTooLargeToStoreFailsPermanentlyAndIsDeadLetteredAtTheLastReceive() {
        store.maxResultBytes(10);
        Job job = TestJobs.stored(store, "{\"vehicleId\":\"VAN-042\"}");
        JobProcessor processor = processor(handler);

        Outcome first = processor.process(job.message(), 1);
        assertThat(first.done()).isFalse();
        assertThat(first.backOff()).as("the same result is too large on every attempt").isFalse();
        assertThat(first.error()).isEqualTo("the outcome is too large to store (result 11 bytes)");
        assertThat(first.events()).last().isInstanceOfSatisfying(JobFailed.class, failed -> assertThat(failed.retryable()).isFalse());
        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(store.entity("vehicle", "VAN-042")).as("no write of an outcome that was refused").isEmpty();

        processor.process(job.message(), 2);
        Outcome last = processor.process(job.message(), MAX_RECEIVE_COUNT);
        assertThat(last.events()).last().isInstanceOf(JobDeadLettered.class);
        Job dead = store.get(job.id());
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(dead.lastError()).isEqualTo("the outcome is too large to store (result 11 bytes)");
    }

    @Test
    void aCompletedJobIsNotRunAgainAndItsStoredEventIsReturnedAgain() {
        Job job = TestJobs.stored(store, "{\"vehicleId\":\"VAN-042\"}");
        JobProcessor processor = processor(handler);
        List<JobEvent> first = processor.process(job.message(), 1).events();
        Job completed = store.get(job.id());

        Outcome again = processor.process(job.message(), 2);

        assertThat(handler.invocations()).isEqualTo(1);
        assertThat(again.done()).isTrue();
        // The same JobAccepted and JobCompleted, same eventIds: consumers drop them as duplicates.
        assertThat(again.events()).isEqualTo(first).extracting(JobEvent::detailType)
                .containsExactly("JobAccepted", "JobCompleted");
        assertThat(store.get(job.id())).isEqualTo(completed);
    }

    @Test
    void retryableFailureBelowMaxReceiveCountIsFailedWithJobFailed() {
        Job job = TestJobs.stored(store, "{\"fail\":true}");

        Outcome outcome = processor(handler).process(job.message(), 1);

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.error()).isEqualTo("backend said no");
        assertThat(outcome.events()).extracting(JobEvent::detailType).containsExactly("JobAccepted", "JobFailed");
        assertThat(outcome.events().getLast()).isInstanceOfSatisfying(JobFailed.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.error()).isEqualTo("backend said no");
            assertThat(e.eventId()).isEqualTo(JobEvents.eventId(job.id().value(), "JobFailed", 1));
        });
        Job stored = store.get(job.id());
        assertThat(stored.status()).isEqualTo(JobStatus.FAILED);
        assertThat(stored.lastError()).isEqualTo("backend said no");
        assertThat(stored.lastEvent()).isEqualTo(outcome.events().getLast());
        assertThat(store.entityCount()).isZero();
    }

    @Test
    void failureAtMaxReceiveCountIsDeadLetteredAndRepublishesThePreviousFailure() {
        Job job = TestJobs.stored(store, "{\"fail\":true}");
        JobProcessor processor = processor(handler);

        processor.process(job.message(), 1);
        Outcome second = processor.process(job.message(), 2);
        Outcome last = processor.process(job.message(), MAX_RECEIVE_COUNT);

        assertThat(second.events()).extracting(JobEvent::attempt).containsExactly(0, 1, 2);
        assertThat(second.events().getFirst().eventId()).isEqualTo(JobEvents.eventId(job.id().value(), "JobAccepted", 0));
        assertThat(last.done()).isFalse(); // the message must go back so SQS moves it to the dead-letter queue
        assertThat(last.events()).hasSize(3);
        assertThat(last.events().get(0)).isInstanceOf(JobAccepted.class);
        assertThat(last.events().get(1)).isInstanceOf(JobFailed.class).extracting(JobEvent::attempt).isEqualTo(2);
        assertThat(last.events().get(2)).isInstanceOfSatisfying(JobDeadLettered.class, e -> {
            assertThat(e.attempt()).isEqualTo(3);
            assertThat(e.error()).isEqualTo("backend said no");
            assertThat(e.eventId()).isEqualTo(JobEvents.eventId(job.id().value(), "JobDeadLettered", 3));
        });
        Job stored = store.get(job.id());
        assertThat(stored.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(stored.attempts()).isEqualTo(3);
        assertThat(stored.lastEvent()).isEqualTo(last.events().get(2));
        assertThat(handler.invocations()).isEqualTo(3);
    }

    @Test
    void aMessageWithoutAJobRecordIsDoneWithNoEvents() {
        Job neverStored = TestJobs.queued("{\"vehicleId\":\"VAN-042\"}");

        Outcome outcome = processor(handler).process(neverStored.message(), 1);

        assertThat(outcome.done()).isTrue();
        assertThat(outcome.events()).isEmpty();
        assertThat(handler.invocations()).isZero();
        assertThat(store.get(neverStored.id())).isNull();
    }

    @Test
    void anUnreachableStoreMeansRetryWithoutStateChange() {
        Job job = TestJobs.stored(store, "{\"vehicleId\":\"VAN-042\"}");
        store.unavailable(Op.FIND);

        Outcome outcome = processor(handler).process(job.message(), 1);

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.error()).contains("FIND unavailable");
        assertThat(store.get(job.id())).isEqualTo(job);
        assertThat(handler.invocations()).isZero();
    }

    @Test
    void anUnreachableStoreAtCompletionCommitsNothingAndTheNextDeliveryCompletes() {
        Job job = TestJobs.stored(store, "{\"vehicleId\":\"VAN-042\"}");
        JobProcessor processor = processor(handler);
        store.unavailable(Op.COMPLETE);

        // The first invocation's time is up when the next delivery comes (visibility timeout > function timeout).
        Outcome outcome = processor.process(job.message(), 1, CLOCK.instant().minusMillis(1));

        assertThat(outcome.done()).isFalse();
        assertThat(outcome.events()).isEmpty();
        assertThat(store.get(job.id()).status()).isNotEqualTo(JobStatus.COMPLETED);
        assertThat(store.entityCount()).isZero();

        store.available();
        Outcome next = processor.process(job.message(), 2);

        assertThat(next.done()).isTrue();
        assertThat(next.events()).extracting(JobEvent::attempt).containsExactly(0, 2);
        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.entity("vehicle", "VAN-042")).isPresent();
    }
}
