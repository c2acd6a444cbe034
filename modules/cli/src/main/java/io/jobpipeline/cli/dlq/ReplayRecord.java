package io.jobpipeline.cli.dlq;

import java.time.Instant;

/**
 * One replay as the audit keeps it: who moved what from where to where, with which filters, and how it ended.
 * {@code status}: RUNNING until it ends (a replay that died stays RUNNING), then DONE or FAILED; dry runs are marked.
 */
record ReplayRecord(String replayId, Instant startedAt, String operator, String queue, String destination, String filters,
                    boolean dryRun, String status, long moved, long skipped, long failed, String moveTaskHandle,
                    Instant finishedAt) {

    ReplayRecord finished(String status, long moved, long skipped, long failed, String moveTaskHandle, Instant at) {
        return new ReplayRecord(replayId, startedAt, operator, queue, destination, filters, dryRun, status, moved, skipped,
                failed, moveTaskHandle, at);
    }
}
