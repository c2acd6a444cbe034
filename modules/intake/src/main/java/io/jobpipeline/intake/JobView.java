package io.jobpipeline.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.TimelineEntry;
import java.time.Instant;
import java.util.List;

/** What {@code GET /jobs/{id}} answers: the job without its internals (payload stays with the producer). */
record JobView(String jobId, String type, String status, int attempts, Instant createdAt, Instant updatedAt,
               Instant completedAt, JsonNode result, String lastError, String callbackUrl, List<TimelineEntry> timeline) {
    static JobView of(Job job) {
        return new JobView(job.id().value(), job.type(), job.status().name(), job.attempts(), job.createdAt(),
                job.updatedAt(), job.completedAt(), job.result(), job.lastError(), job.callbackUrl(), job.timeline());
    }
}
