package io.jobpipeline.core.job;

import java.time.Instant;

/** One thing that happened to a job: accepted, queued, attempt started, completed, failed, dead-lettered. */
public record TimelineEntry(Instant at, String event, Integer attempt, String detail) {
    public static TimelineEntry of(Instant at, String event) {
        return new TimelineEntry(at, event, null, null);
    }
}
