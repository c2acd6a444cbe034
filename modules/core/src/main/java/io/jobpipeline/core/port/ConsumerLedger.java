package io.jobpipeline.core.port;

/**
 * Remembers which events a consumer has applied, so a duplicate or replayed event is applied once: the ledger entry
 * and the consumer's effect are written in one transaction.
 */
public interface ConsumerLedger {
    /** Applies {@code effect} unless this consumer has already applied {@code eventId}; true if it was applied now. */
    boolean applyOnce(String consumer, String eventId, LedgerEffect effect) throws StoreUnavailable;

    /** Whether this consumer has applied {@code eventId} (a strongly consistent read). */
    boolean applied(String consumer, String eventId) throws StoreUnavailable;

    /**
     * Stores a delivery attempt that is not the consumer's success (a failed or refused try) without a ledger entry.
     * Attempt numbers are unique per event: if {@code attempt.attempt()} is taken (a concurrent duplicate), the next
     * free number is used. Returns the number stored.
     */
    int recordAttempt(RecordDelivery attempt) throws StoreUnavailable;

    /** How many delivery attempts of {@code eventId} are stored for the job, so the next one is numbered after them. */
    int deliveryAttempts(String jobId, String eventId) throws StoreUnavailable;

    /** The consumer's write, stored in the same transaction as the ledger entry. */
    sealed interface LedgerEffect permits CountOutcome, RecordDelivery {}

    /**
     * Analytics: add one to {@code outcome} for the job type and minute, and, if known, a latency sample to the
     * latency sum and to its histogram bucket ({@code lat_b<k>}).
     */
    record CountOutcome(String jobType, String minute, String outcome, Long latencyMs) implements LedgerEffect {}

    /**
     * Notifications: one delivery attempt of an event, {@code PK=JOB#<jobId>, SK=DELIVERY#<eventId>#<attempt>}.
     *
     * @param url        the callback URL, or "none"
     * @param outcome    DELIVERED, NO_CALLBACK, HTTP_<status>, TIMEOUT, UNREACHABLE, REFUSED, ...
     * @param status     the HTTP status, 0 when there was no response
     * @param detail     why, in words (may be null)
     * @param replayName the archive replay that re-sent the event, or null
     */
    record RecordDelivery(String jobId, String eventId, String detailType, String url, String outcome, int status,
                          String detail, int attempt, String at, String replayName) implements LedgerEffect {}
}
