package io.jobpipeline.core.work;

import static io.jobpipeline.core.testing.TestJobs.CLOCK;
import static io.jobpipeline.core.testing.TestJobs.TYPE;
import static io.jobpipeline.core.testing.TestJobs.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.event.JobFailed;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.port.JobMetrics;
import io.jobpipeline.core.testing.InMemoryJobStore;
import io.jobpipeline.core.testing.RecordingPublisher;
import io.jobpipeline.core.testing.TestHandler;
import io.jobpipeline.core.testing.TestJobs;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The record keeps only a job's latest outcome event. A delivery whose PutEvents failed, followed by one killed
 * between its write and its PutEvents, must not lose the first delivery's JobFailed: the processor puts a stored
 * outcome on the bus before an attempt replaces it.
 */
class EarlierOutcomeEventsTest {
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final RecordingPublisher bus = new RecordingPublisher();
    private final AtomicInteger calls = new AtomicInteger();
    /** Fails the first two attempts, then completes. */
    private final TestHandler flaky = new TestHandler(TYPE, (payload, context) -> {
        if (calls.incrementAndGet() <= 2) {
            throw JobFailure.retryable("backend busy (" + calls.get() + ")");
        }
        return json("{\"ok\":true}");
    });

    private JobProcessor processor(RecordingPublisher publisher) {
        return new JobProcessor(store, store, new JobHandlers(List.of(flaky)), CLOCK, 5, JobProcessor.DEFAULT_LEASE,
                JobMetrics.NONE, publisher);
    }

    @Test
    void aFailureWhosePublishingFailedStillReachesTheBusWhenTheNextDeliveryIsKilledBeforeItsPutEvents() {
        Job job = TestJobs.stored(store, "{}");
        JobProcessor processor = processor(bus);
        String firstFailure = JobEvents.eventId(job.id().value(), "JobFailed", 1);

        Outcome first = processor.process(job.message(), 1);          // its PutEvents fails: its events go nowhere
        assertThat(first.events()).extracting(JobEvent::eventId).contains(firstFailure);
        assertThat(bus.published()).isEmpty();

        processor.process(job.message(), 2);                          // killed after its write, before its PutEvents
        assertThat(bus.published()).extracting(JobEvent::eventId).as("published before attempt 2 replaced it")
                .containsExactly(JobEvents.eventId(job.id().value(), "JobAccepted", 0), firstFailure);

        Outcome third = processor.process(job.message(), 3);
        bus.publish(third.events());

        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(bus.published()).filteredOn(e -> e instanceof JobFailed).extracting(e -> ((JobFailed) e).attempt())
                .containsExactly(1, 2);
        // Each delivery puts the stored outcome out again (consumers drop repeats by eventId): every event is there.
        String id = job.id().value();
        assertThat(bus.published()).extracting(JobEvent::eventId).containsOnlyOnce(JobEvents.eventId(id, "JobCompleted", 0))
                .containsAll(List.of(JobEvents.eventId(id, "JobAccepted", 0), firstFailure, JobEvents.eventId(id, "JobFailed", 2)));
    }

    @Test
    void anAttemptWaitsWhenTheEarlierOutcomeCannotBePublished() {
        Job job = TestJobs.stored(store, "{}");
        processor(bus).process(job.message(), 1);
        RecordingPublisher down = new RecordingPublisher().refusing(e -> true);

        Outcome second = processor(down).process(job.message(), 2);

        assertThat(second.done()).isFalse();
        assertThat(flaky.invocations()).as("the handler did not run again").isEqualTo(1);
        assertThat(store.get(job.id()).attempts()).isEqualTo(1);
        assertThat(store.get(job.id()).lastEvent().eventId()).isEqualTo(JobEvents.eventId(job.id().value(), "JobFailed", 1));
    }
}
