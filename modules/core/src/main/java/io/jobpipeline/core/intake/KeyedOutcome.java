package io.jobpipeline.core.intake;

import io.jobpipeline.core.job.JobId;

/** The answer to a request carrying an {@code Idempotency-Key}. */
public sealed interface KeyedOutcome {

    /** The key's job is stored and queued; {@code replayed}: an earlier request with the key made it. */
    record Accepted(JobId jobId, boolean replayed) implements KeyedOutcome {}

    /** The key was first sent with another body. */
    record KeyReused(String key) implements KeyedOutcome {}

    /** Another request with the key is being worked on and did not finish while this one waited. */
    record InProgress(String key) implements KeyedOutcome {}
}
