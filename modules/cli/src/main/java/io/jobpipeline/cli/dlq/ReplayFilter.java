package io.jobpipeline.cli.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which dead messages a replay takes; every given criterion must hold. A message's age is the time since its last
 * failure (the job record's last FAILED/DEAD_LETTERED entry, else when the message was sent to the DLQ).
 */
record ReplayFilter(String type, String jobId, String errorContains, Duration olderThan, Duration newerThan) {
    static final ReplayFilter NONE = new ReplayFilter(null, null, null, null, null);

    boolean isEmpty() {
        return type == null && jobId == null && errorContains == null && olderThan == null && newerThan == null;
    }

    /** True when matching needs the job's record (its error, or its failure time). */
    boolean needsRecord() {
        return errorContains != null || olderThan != null || newerThan != null;
    }

    boolean matches(DeadMessage m, Instant now) {
        if (type != null && !type.equals(m.jobType())) {
            return false;
        }
        if (jobId != null && !jobId.equals(m.jobId())) {
            return false;
        }
        if (errorContains != null && (m.error() == null
                || !m.error().toLowerCase(Locale.ROOT).contains(errorContains.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        Instant failed = m.lastFailure();
        if (olderThan != null && (failed == null || !failed.isBefore(now.minus(olderThan)))) {
            return false;
        }
        return newerThan == null || failed != null && failed.isAfter(now.minus(newerThan));
    }

    /** As the command line said it, for the summary and the audit record; "none" when empty. */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (type != null) {
            parts.add("--type " + type);
        }
        if (jobId != null) {
            parts.add("--job-id " + jobId);
        }
        if (errorContains != null) {
            parts.add("--error-contains '" + errorContains + "'");
        }
        if (olderThan != null) {
            parts.add("--older-than " + olderThan);
        }
        if (newerThan != null) {
            parts.add("--newer-than " + newerThan);
        }
        return parts.isEmpty() ? "none" : String.join(" ", parts);
    }
}
