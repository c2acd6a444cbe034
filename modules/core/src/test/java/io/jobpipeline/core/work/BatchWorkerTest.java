package io.jobpipeline.core.work;

import static io.jobpipeline.core.testing.TestJobs.CLOCK;
import static io.jobpipeline.core.testing.TestJobs.TYPE;
import static io.jobpipeline.core.testing.TestJobs.json;
import static io.jobpipeline.core.testing.TestJobs.raw;
import static io.jobpipeline.core.testing.TestJobs.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.event.JobAccepted;
import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.event.JobFailed;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.testing.InMemoryJobStore;
import io.jobpipeline.core.testing.RecordingPublisher;
import io.jobpipeline.core.testing.TestHandler;
import io.jobpipeline.core.testing.TestJobs;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BatchWorkerTest {
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final RecordingPublisher publisher = new RecordingPublisher();

    /** Fails retryably when the payload says "fail", otherwise returns {"ok": true}. */
    private final TestHandler handler = new TestHandler(TYPE, (payload, context) -> {
        if (payload.path("fail").asBoolean()) {
            throw JobFailure.retryable("backend said no");
        }
        return json("{\"ok\":true}");
    });

    private BatchWorker worker(TestHandler h) {
        return new BatchWorker(new JobProcessor(store, store, new JobHandlers(List.of(h)), CLOCK, 5), publisher);
    }

    private Job ok() {
        return TestJobs.stored(store, "{}");
    }

    private Job failing() {
        return TestJobs.stored(store, "{\"fail\":true}");
    }

    @Test
    void onlyTheFailingRecordIsReported() {
        Job one = ok();
        Job two = failing();
        Job three = ok();

        List<String> failed = worker(handler).process(List.of(
                record("m1", one, 1, null), record("m2", two, 1, null), record("m3", three, 1, null)));

        assertThat(failed).containsExactly("m2");
        assertThat(store.get(one.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.get(two.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(store.get(three.id()).status()).isEqualTo(JobStatus.COMPLETED);
        // Each job's JobAccepted rides along with its outcome, in the same PutEvents call.
        assertThat(publisher.published()).hasSize(6);
        assertThat(publisher.published()).filteredOn(e -> e instanceof JobAccepted).extracting(JobEvent::jobId)
                .containsExactlyInAnyOrder(one.id().value(), two.id().value(), three.id().value());
        assertThat(publisher.published()).filteredOn(e -> e instanceof JobFailed).extracting(JobEvent::jobId)
                .containsExactly(two.id().value());
        assertThat(publisher.published()).filteredOn(e -> e instanceof JobCompleted).extracting(JobEvent::jobId)
                .containsExactlyInAnyOrder(one.id().value(), three.id().value());
    }

    @Test
    void aFailureInAFifoGroupReportsTheRestOfTheGroupWithoutRunningIt() {
        Job a1 = failing();
        Job a2 = ok();
        Job a3 = ok();
        Job b1 = ok();

        List<String> failed = worker(handler).process(List.of(
                record("a1", a1, 1, "A"), record("b1", b1, 1, "B"), record("a2", a2, 1, "A"), record("a3", a3, 1, "A")));

        assertThat(failed).containsExactly("a1", "a2", "a3");
        assertThat(handler.calls()).containsExactlyInAnyOrder(a1.id().value(), b1.id().value());
        assertThat(store.get(a2.id())).isEqualTo(a2);
        assertThat(store.get(a3.id())).isEqualTo(a3);
        assertThat(store.get(b1.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void recordsOfOneFifoGroupRunInOrder() {
        Job a1 = ok();
        Job a2 = ok();
        Job a3 = ok();

        List<String> failed = worker(handler).process(List.of(
                record("a1", a1, 1, "A"), record("a2", a2, 1, "A"), record("a3", a3, 1, "A")));

        assertThat(failed).isEmpty();
        assertThat(handler.calls()).containsExactly(a1.id().value(), a2.id().value(), a3.id().value());
    }

    @Test
    void aRecordWhoseEventCouldNotBePublishedIsReported() {
        Job one = ok();
        Job two = ok();
        Job three = ok();
        publisher.refusing(e -> e.jobId().equals(two.id().value()));

        List<String> failed = worker(handler).process(List.of(
                record("m1", one, 1, null), record("m2", two, 1, null), record("m3", three, 1, null)));

        assertThat(failed).containsExactly("m2");
        assertThat(publisher.published()).extracting(JobEvent::jobId)
                .containsExactlyInAnyOrder(one.id().value(), one.id().value(), three.id().value(), three.id().value());

        // The message comes back; the job is COMPLETED, so its stored event goes out without running the handler again.
        publisher.refusing(e -> false);
        assertThat(worker(handler).process(List.of(record("m2", two, 2, null)))).isEmpty();
        assertThat(handler.calls()).containsOnlyOnce(two.id().value());
        assertThat(publisher.published()).filteredOn(e -> e.jobId().equals(two.id().value()))
                .extracting(JobEvent::detailType).containsExactly("JobAccepted", "JobCompleted");
    }

    @Test
    void aFifoRecordWhoseEventCouldNotBePublishedTakesTheRestOfItsGroupBack() {
        Job a1 = ok();
        Job a2 = ok();
        publisher.refusing(e -> e.jobId().equals(a1.id().value()));

        List<String> failed = worker(handler).process(List.of(record("a1", a1, 1, "A"), record("a2", a2, 1, "A")));

        assertThat(failed).containsExactly("a1", "a2");
    }

    @Test
    void bodiesThatAreNotJobMessagesAreReported() {
        Job good = ok();

        List<String> failed = worker(handler).process(List.of(
                raw("not-json", "this is not json"),
                raw("empty-object", "{}"),
                raw("bad-id", "{\"jobId\":\"../../etc/passwd\",\"type\":\"test.job\"}"),
                raw("array", "[1,2,3]"),
                raw("duplicate-keys", "{\"jobId\":\"a\",\"jobId\":\"b\"}"),
                record("good", good, 1, null)));

        assertThat(failed).containsExactlyInAnyOrder("not-json", "empty-object", "bad-id", "array", "duplicate-keys");
        assertThat(handler.calls()).containsExactly(good.id().value());
        assertThat(publisher.published()).extracting(JobEvent::jobId).containsOnly(good.id().value());
    }

    @Test
    void aNullBodyIsReportedAloneAndTheRestOfTheBatchGoesThrough() {
        Job good = ok();

        List<String> failed = worker(handler).process(List.of(raw("null-body", "null"), record("good", good, 1, null)));

        assertThat(failed).containsExactly("null-body");
        assertThat(publisher.published()).extracting(JobEvent::jobId).containsOnly(good.id().value());
    }

    @Test
    @Timeout(20)
    void recordsOfDifferentGroupsRunConcurrently() {
        CountDownLatch bothInside = new CountDownLatch(2);
        AtomicBoolean metInside = new AtomicBoolean(true);
        TestHandler meeting = new TestHandler(TYPE, (payload, context) -> {
            bothInside.countDown();
            if (!bothInside.await(5, TimeUnit.SECONDS)) {
                metInside.set(false);
                throw JobFailure.retryable("the other handler never came in");
            }
            return json("{\"ok\":true}");
        });
        Job a = ok();
        Job b = ok();

        List<String> failed = worker(meeting).process(List.of(record("a", a, 1, "A"), record("b", b, 1, "B")));

        assertThat(metInside).as("both handlers were inside at once").isTrue();
        assertThat(failed).isEmpty();
        assertThat(meeting.invocations()).isEqualTo(2);
    }

    @Test
    void anEmptyBatchReportsNothing() {
        assertThat(worker(handler).process(List.of())).isEmpty();
        assertThat(publisher.published()).isEmpty();
    }
}
