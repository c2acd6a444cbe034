package io.jobpipeline.core.intake;

import io.jobpipeline.core.job.Job;

/** What became of one valid job of a batch. */
public sealed interface Admission {

    /** Stored and queued. */
    record Admitted(Job job) implements Admission {}

    /** Not queued, its record taken back; {@code transientFault}: sending it again may succeed. */
    record NotQueued(String reason, boolean transientFault) implements Admission {}
}
