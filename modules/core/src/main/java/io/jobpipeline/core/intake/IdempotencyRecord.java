package io.jobpipeline.core.intake;

import io.jobpipeline.core.job.JobId;
import java.time.Instant;

/**
 * What an {@code Idempotency-Key} stands for: the producer's key, the hash of the body first sent with it, and the job
 * that body became. {@code leaseUntil} is when the invocation working on an IN_PROGRESS key ends at the latest;
 * {@code expiresAt} is when the key may be used for something else (DynamoDB's TTL removes it some time after).
 */
public record IdempotencyRecord(String producer, String key, String bodyHash, JobId jobId, Status status,
                                Instant leaseUntil, Instant expiresAt) {

    public enum Status { IN_PROGRESS, COMPLETED }

    public static IdempotencyRecord inProgress(String producer, String key, String bodyHash, JobId jobId,
                                               Instant leaseUntil, Instant expiresAt) {
        return new IdempotencyRecord(producer, key, bodyHash, jobId, Status.IN_PROGRESS, leaseUntil, expiresAt);
    }

    /** An IN_PROGRESS key whose invocation is over: it died, or gave the key up after a failure. */
    public boolean leaseEnded(Instant now) {
        return status == Status.IN_PROGRESS && !leaseUntil.isAfter(now);
    }

    public IdempotencyRecord withLease(Instant until) {
        return new IdempotencyRecord(producer, key, bodyHash, jobId, status, until, expiresAt);
    }
}
