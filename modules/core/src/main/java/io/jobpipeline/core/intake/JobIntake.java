package io.jobpipeline.core.intake;

import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.port.JobQueue;
import io.jobpipeline.core.port.JobStore;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a validated job: the record first, then the message. A message never exists without its record; if the send
 * fails the record is taken back, so no job claims QUEUED without a message behind it, and the producer gets a 503.
 * A record write that failed for want of the store is taken back as well: a timeout may come after DynamoDB applied it.
 */
public final class JobIntake {
    private static final Logger LOG = LoggerFactory.getLogger(JobIntake.class);

    private final JobStore store;
    private final JobQueue queue;
    private final Clock clock;

    public JobIntake(JobStore store, JobQueue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    public Job accept(JobRequest request, String producer) throws StoreUnavailable {
        Job job = Job.accepted(JobId.next(clock), request, producer, clock.instant());
        return switch (enqueue(job, request.delay())) {
            case Enqueued.Queued queued -> queued.job();
            case Enqueued.Failed failed -> failed.raise();
        };
    }

    /** Stores {@code job} and queues its message, or leaves neither (as far as the store lets it take back). */
    public Enqueued enqueue(Job job, int delaySeconds) {
        try {
            store.create(job);
        } catch (StoreUnavailable e) {
            return new Enqueued.Failed(e, !takeBack(store, job));
        } catch (RuntimeException refused) {
            return new Enqueued.Failed(refused, false); // the store said no: nothing was written
        }
        try {
            queue.send(job.message(), delaySeconds);
        } catch (StoreUnavailable | RuntimeException sendFailed) {
            return new Enqueued.Failed(sendFailed, !takeBack(store, job));
        }
        return new Enqueued.Queued(job);
    }

    /**
     * Finishes what an earlier invocation started for {@code job}'s id and may not have finished: no record, the whole
     * job; a record still QUEUED before any attempt, its message once more (it may never have been sent; a duplicate is
     * harmless, the worker's transitions are conditional); a record the worker has touched, nothing, its message arrived.
     */
    public Enqueued resume(Job job, int delaySeconds) {
        Optional<Job> found;
        try {
            found = store.find(job.id());
        } catch (StoreUnavailable | RuntimeException e) {
            return new Enqueued.Failed(e, true);
        }
        if (found.isEmpty()) {
            return enqueue(job, delaySeconds);
        }
        Job stored = found.get();
        if (stored.status() != JobStatus.QUEUED || stored.attempts() > 0) {
            return new Enqueued.Queued(stored);
        }
        try {
            queue.send(stored.message(), delaySeconds);
        } catch (StoreUnavailable | RuntimeException sendFailed) {
            // Not taken back: an earlier send of this message may have succeeded, and the worker may hold the job.
            return new Enqueued.Failed(sendFailed, true);
        }
        return new Enqueued.Queued(stored);
    }

    /** True once the record is gone; a job id is never reused, so deleting one that was never written is harmless. */
    static boolean takeBack(JobStore store, Job job) {
        try {
            store.delete(job.id());
            return true;
        } catch (StoreUnavailable | RuntimeException e) {
            // The record stays QUEUED with no message; the worker never sees it. Logged loudly for the operator.
            LOG.error("job {} could not be queued nor taken back; its record stays without a message", job.id(), e);
            return false;
        }
    }
}
