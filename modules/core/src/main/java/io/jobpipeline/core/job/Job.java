package io.jobpipeline.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.event.JobEvent;
import java.time.Instant;
import java.util.List;

/**
 * A job as stored: what was asked, by whom, and what has become of it. {@code lastEvent} is the outcome event written
 * in the same write as the outcome, so a redelivery can publish it again if the worker died before it was sent.
 */
public record Job(
        JobId id,
        String type,
        String producer,
        JobStatus status,
        int attempts,
        JsonNode payload,
        String callbackUrl,
        JsonNode result,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt,
        List<TimelineEntry> timeline,
        JobEvent lastEvent) {

    public Job {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    public static Job accepted(JobId id, JobRequest request, String producer, Instant now) {
        return new Job(id, request.type(), producer, JobStatus.QUEUED, 0, request.payload(), request.callbackUrl(),
                null, null, now, now, null, List.of(TimelineEntry.of(now, "ACCEPTED")), null);
    }

    public JobMessage message() {
        return new JobMessage(id.value(), type, producer, payload, callbackUrl, createdAt);
    }
}
