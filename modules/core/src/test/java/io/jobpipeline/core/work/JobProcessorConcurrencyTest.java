package io.jobpipeline.core.work;

import static io.jobpipeline.core.testing.TestJobs.CLOCK;
import static io.jobpipeline.core.testing.TestJobs.TYPE;
import static io.jobpipeline.core.testing.TestJobs.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.job.TimelineEntry;
import io.jobpipeline.core.testing.InMemoryJobStore;
import io.jobpipeline.core.testing.TestHandler;
import io.jobpipeline.core.testing.TestJobs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two deliveries of one job at once (SQS delivers at least once; a visibility timeout can also run out mid-handler).
 * Every wait has a timeout, so a change in behaviour fails the test instead of hanging it.
 */
@Timeout(20)
class JobProcessorConcurrencyTest {
    private static final long WAIT_SECONDS = 5;

    private final InMemoryJobStore store = new InMemoryJobStore();
    private final Job job = TestJobs.stored(store, "{}");
    /** Per attempt: signalled when the handler is inside, and what lets it finish. */
    private final Map<Integer, CountDownLatch> inside = Map.of(1, new CountDownLatch(1), 2, new CountDownLatch(1));
    private final Map<Integer, CountDownLatch> release = Map.of(1, new CountDownLatch(1), 2, new CountDownLatch(1));
    private final TestHandler handler = new TestHandler(TYPE, (payload, context) -> {
        inside.get(context.attempt()).countDown();
        await(release.get(context.attempt()));
        context.write("vehicle", "VAN-042", Map.of("attempt", context.attempt()));
        return json("{\"attempt\":" + context.attempt() + "}");
    });
    private final JobProcessor processor = new JobProcessor(store, store, new JobHandlers(List.of(handler)), CLOCK, 5);

    /** What each delivery got back, and the job's status once one delivery had returned and the other was still held. */
    private record Race(Outcome first, Outcome second, JobStatus inBetween) {}

    /** Delivery 2 reads the QUEUED job, then delivery 1 starts attempt 1 and blocks in the handler; then delivery 2 goes on. */
    private Race secondLosesTheStartRace() throws Exception {
        CountDownLatch secondHasRead = new CountDownLatch(1);
        store.afterFind(found -> {
            if (Thread.currentThread().getName().equals("delivery-2") && found.orElseThrow().status() == JobStatus.QUEUED) {
                secondHasRead.countDown();
                await(inside.get(1));
            }
        });
        CompletableFuture<Outcome> second = deliver("delivery-2", 1);
        await(secondHasRead);
        CompletableFuture<Outcome> first = deliver("delivery-1", 1);
        Outcome secondOutcome = second.get(WAIT_SECONDS, TimeUnit.SECONDS);
        JobStatus status = store.get(job.id()).status();
        release.get(1).countDown();
        return new Race(first.get(WAIT_SECONDS, TimeUnit.SECONDS), secondOutcome, status);
    }

    /** Delivery 1 is inside the handler (attempt 1) when delivery 2 arrives; attempt 1 is let go first. */
    private Race secondArrivesWhileTheFirstRuns() throws Exception {
        CompletableFuture<Outcome> first = deliver("delivery-1", 1);
        await(inside.get(1));
        CompletableFuture<Outcome> second = deliver("delivery-2", 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!second.isDone() && inside.get(2).getCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        release.get(1).countDown();
        Outcome firstOutcome = first.get(WAIT_SECONDS, TimeUnit.SECONDS);
        JobStatus status = store.get(job.id()).status();
        release.get(2).countDown();
        return new Race(firstOutcome, second.get(WAIT_SECONDS, TimeUnit.SECONDS), status);
    }

    @Test
    void theDeliveryThatLosesTheStartRaceDoesNotRunTheHandler() throws Exception {
        Race race = secondLosesTheStartRace();

        assertThat(handler.invocations()).isEqualTo(1);
        assertThat(race.second().events()).isEmpty();
        assertThat(race.first().done()).isTrue();
        assertThat(race.first().events()).filteredOn(e -> e instanceof JobCompleted).hasSize(1);
        assertThat(store.get(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.get(job.id()).attempts()).isEqualTo(1);
    }

    @Test
    void theDeliveryThatLosesTheStartRaceIsNotDoneWhileTheJobRuns() throws Exception {
        Race race = secondLosesTheStartRace();

        assertThat(race.inBetween()).isEqualTo(JobStatus.RUNNING);
        assertThat(race.second().done()).as("acknowledged while the job was RUNNING").isFalse();
    }

    @Test
    void concurrentDeliveriesCommitTheOutcomeOnce() throws Exception {
        Race race = secondArrivesWhileTheFirstRuns();

        assertThat(Stream.of(race.first(), race.second()).flatMap(o -> o.events().stream()))
                .filteredOn(e -> e instanceof JobCompleted).hasSize(1);
        Job stored = store.get(job.id());
        assertThat(stored.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(stored.timeline()).extracting(TimelineEntry::event).containsOnlyOnce("COMPLETED");
        assertThat(store.entity("vehicle", "VAN-042")).contains(json("{\"attempt\":" + stored.attempts() + "}"));
        assertThat(stored.result()).isEqualTo(json("{\"attempt\":" + stored.attempts() + "}"));
    }

    @Test
    void aDeliveryArrivingWhileTheHandlerRunsDoesNotRunItAgain() throws Exception {
        secondArrivesWhileTheFirstRuns();

        assertThat(handler.invocations()).isEqualTo(1);
    }

    @Test
    void aDeliveryThatLostItsAttemptIsNotDoneWhileTheJobRuns() throws Exception {
        Race race = secondArrivesWhileTheFirstRuns();

        assertThat(race.first().done() && race.inBetween() != JobStatus.COMPLETED)
                .as("first delivery acknowledged while the job was %s", race.inBetween()).isFalse();
    }

    private CompletableFuture<Outcome> deliver(String threadName, int receiveCount) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.complete(processor.process(job.message(), receiveCount));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return outcome;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("waited %ss for a latch", WAIT_SECONDS).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
