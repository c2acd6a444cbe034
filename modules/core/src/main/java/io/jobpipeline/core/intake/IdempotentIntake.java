package io.jobpipeline.core.intake;

import io.jobpipeline.core.intake.IdempotencyRecord.Status;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.port.IdempotencyStore;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /jobs} with an {@code Idempotency-Key}, after the idempotency design of Powertools for AWS Lambda
 * (its {@code IdempotencyHandler} and persistence layer): a record per key, written conditionally IN_PROGRESS with an
 * in-progress expiry at the invocation's deadline, COMPLETED once the work is done, deleted when the work failed, the
 * payload's hash stored to refuse the key with another body, and a TTL ({@code expiresAt}, 24 hours here).
 *
 * <p>One change to it: Powertools stores the response only on completion; here the key's record names the job id from
 * its first write, so an invocation that dies half-way leaves a key that says which job to finish, not one to redo.
 * The writes, in order:
 * <ol>
 *   <li>key IN_PROGRESS with a new job id, lease until this invocation's deadline (conditional: no unexpired record);
 *   <li>job record (as {@link JobIntake}: the record, then the message, taking the record back if the send fails);
 *   <li>message on the queue;
 *   <li>key COMPLETED.
 * </ol>
 * A crash after 1 leaves a key naming a job without record; after 2, a record that may lack its message; after 3, a
 * key not yet COMPLETED. Each is resumed by the next request with the key once the lease has ended (taken over by a
 * conditional write, so one retry resumes): no record, the job is stored and queued under the key's id; a record still
 * QUEUED, its message is sent again (possibly twice, which the worker's conditional transitions absorb); a record the
 * worker has touched, nothing. Then the key is COMPLETED and the answer is that job. So the key never answers with a
 * job that is not queued, and never makes a second job.
 *
 * <p>On a failure the key is deleted only when the job's record is known to be gone (the next request starts afresh);
 * otherwise its lease is ended, so the next request resumes the job at once. A request that finds a live IN_PROGRESS
 * key with its body waits a moment for the answer, then gets {@link KeyedOutcome.InProgress}.
 */
public final class IdempotentIntake {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentIntake.class);
    private static final Duration KEEP = Duration.ofHours(24);

    private final JobIntake intake;
    private final IdempotencyStore keys;
    private final Clock clock;
    private final Duration wait;
    private final Duration poll;

    /** {@code wait}: how long a request waits for another with its key to finish, polling every {@code poll}. */
    public IdempotentIntake(JobIntake intake, IdempotencyStore keys, Clock clock, Duration wait, Duration poll) {
        this.intake = intake;
        this.keys = keys;
        this.clock = clock;
        this.wait = wait;
        this.poll = poll;
    }

    /** {@code lease}: how long this invocation may still run; another may take the key over after that. */
    public KeyedOutcome accept(JobRequest request, String producer, String key, String bodyHash, Duration lease)
            throws StoreUnavailable {
        Instant giveUp = clock.instant().plus(wait);
        Optional<IdempotencyRecord> holder = Optional.empty();
        while (true) {
            Instant now = clock.instant();
            if (holder.isEmpty() || holder.get().expiresAt().isBefore(now)) {
                IdempotencyRecord fresh = IdempotencyRecord.inProgress(producer, key, bodyHash, JobId.next(clock),
                        now.plus(lease), now.plus(KEEP));
                holder = keys.claim(fresh, now);
                if (holder.isEmpty()) {
                    return settle(fresh, intake.enqueue(job(fresh, request, now), request.delay()), false);
                }
            }
            IdempotencyRecord held = holder.get();
            if (!held.bodyHash().equals(bodyHash)) {
                return new KeyedOutcome.KeyReused(key);
            }
            if (held.status() == Status.COMPLETED) {
                return new KeyedOutcome.Accepted(held.jobId(), true);
            }
            if (held.leaseEnded(now)) {
                IdempotencyRecord ours = held.withLease(now.plus(lease));
                if (keys.takeOver(held, ours.leaseUntil())) {
                    return settle(ours, intake.resume(job(ours, request, now), request.delay()), true);
                }
            } else if (!now.isBefore(giveUp) || !pause()) {
                return new KeyedOutcome.InProgress(key);
            }
            // Waiting reads the key; only a key gone or expired is claimed again.
            holder = keys.find(producer, key);
        }
    }

    private KeyedOutcome settle(IdempotencyRecord record, Enqueued enqueued, boolean resumed) throws StoreUnavailable {
        switch (enqueued) {
            case Enqueued.Queued queued -> {
                try {
                    keys.complete(record);
                } catch (StoreUnavailable | RuntimeException e) {
                    // The job is queued; the key stays IN_PROGRESS and the next request with it resumes, sending again.
                    LOG.warn("job {} is queued but its Idempotency-Key could not be completed", queued.job().id(), e);
                }
                return new KeyedOutcome.Accepted(queued.job().id(), resumed);
            }
            case Enqueued.Failed failed -> {
                release(record, failed.recordLeft());
                return failed.raise();
            }
        }
    }

    private void release(IdempotencyRecord record, boolean recordLeft) {
        try {
            if (recordLeft) {
                keys.letGo(record);
            } else {
                keys.forget(record);
            }
        } catch (StoreUnavailable | RuntimeException e) {
            // The lease runs out by itself; the next request after it resumes the job under the same id.
            LOG.warn("Idempotency-Key of job {} could not be released; it is held until {}", record.jobId(), record.leaseUntil(), e);
        }
    }

    private static Job job(IdempotencyRecord record, JobRequest request, Instant now) {
        return Job.accepted(record.jobId(), request, record.producer(), now);
    }

    private boolean pause() {
        try {
            Thread.sleep(poll);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
