package io.jobpipeline.cli.dlq;

import java.time.Instant;
import java.util.List;

/** What the job's item in the table says about its failures (the layout of modules/aws JobItems). */
record JobRecord(String jobId, String type, String status, int attempts, String lastError, List<Failure> failures) {

    /** A FAILED or DEAD_LETTERED entry of the timeline. */
    record Failure(Instant at, String event, Integer attempt, String detail) {}

    JobRecord {
        failures = List.copyOf(failures);
    }

    Instant firstFailure() {
        return failures.isEmpty() ? null : failures.get(0).at();
    }

    Instant lastFailure() {
        return failures.isEmpty() ? null : failures.get(failures.size() - 1).at();
    }
}
