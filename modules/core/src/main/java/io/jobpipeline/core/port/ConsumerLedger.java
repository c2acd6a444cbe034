package io.jobpipeline.core.port;

/** Remembers which events a consumer has applied, so a duplicate or replayed event is applied once. */
public interface ConsumerLedger {
    /** Applies {@code effect} unless this consumer has already applied {@code eventId}; true if it was applied now. */
    boolean applyOnce(String consumer, String eventId, LedgerEffect effect) throws StoreUnavailable;

    /** The consumer's write, stored in the same transaction as the ledger entry. */
    sealed interface LedgerEffect permits CountOutcome, RecordDelivery {}

    /** Analytics: add one to {@code outcome} for the job type and minute, and a latency sample if known. */
    record CountOutcome(String jobType, String minute, String outcome, Long latencyMs) implements LedgerEffect {}

    /** Notifications: one delivery attempt of an event to a job's callback (or the note that there is none). */
    record RecordDelivery(String jobId, String eventId, String detailType, String target, String result, int status,
                          int attempt, String at) implements LedgerEffect {}
}
