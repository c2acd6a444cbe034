package io.jobpipeline.core.intake;

import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.port.JobQueue;
import io.jobpipeline.core.port.JobStore;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a validated job: the record first, then the message. A message never exists without its record; if the send
 * fails the record is taken back, so no job claims QUEUED without a message behind it, and the producer gets a 503.
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
        store.create(job);
        try {
            queue.send(job.message(), request.delay());
        } catch (StoreUnavailable | RuntimeException sendFailed) {
            takeBack(job);
            throw sendFailed;
        }
        return job;
    }

    private void takeBack(Job job) {
        try {
            store.delete(job.id());
        } catch (StoreUnavailable | RuntimeException e) {
            // The record stays QUEUED with no message; the worker never sees it. Logged loudly for the operator.
            LOG.error("job {} could not be queued nor taken back; its record stays without a message", job.id(), e);
        }
    }
}
