package io.jobpipeline.core.port;

import io.jobpipeline.core.intake.IdempotencyRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * Where {@code Idempotency-Key}s live. Every write is conditional, so of concurrent requests with one key exactly one
 * holds it at a time. Writes that find the key changed by someone else do nothing: that someone owns it now.
 */
public interface IdempotencyStore {

    /** Writes {@code record} unless an unexpired record holds its key; empty if written, else the record holding it. */
    Optional<IdempotencyRecord> claim(IdempotencyRecord record, Instant now) throws StoreUnavailable;

    /** The key's record as it stands, read consistently. */
    Optional<IdempotencyRecord> find(String producer, String key) throws StoreUnavailable;

    /** Gives an IN_PROGRESS record whose lease ended a new lease, if nobody changed it since {@code stale} was read. */
    boolean takeOver(IdempotencyRecord stale, Instant leaseUntil) throws StoreUnavailable;

    /** The key's job is stored and queued: the key answers with it from now on. */
    void complete(IdempotencyRecord record) throws StoreUnavailable;

    /** Deletes the key: its job has no record, so the next request with it starts afresh. */
    void forget(IdempotencyRecord record) throws StoreUnavailable;

    /** Ends the lease now, keeping the job id: its record may lack a message, and the next request resumes it. */
    void letGo(IdempotencyRecord record) throws StoreUnavailable;
}
