package io.jobpipeline.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.job.Job;
import java.time.Instant;

/** A job in {@code GET /jobs}: its {@link JobView} without the timeline. */
record JobSummary(String jobId, String type, String status, int attempts, Instant createdAt, Instant updatedAt,
                  Instant completedAt, JsonNode result, String lastError, String callbackUrl) {
    static JobSummary of(Job job) {
        return new JobSummary(job.id().value(), job.type(), job.status().name(), job.attempts(), job.createdAt(),
                job.updatedAt(), job.completedAt(), job.result(), job.lastError(), job.callbackUrl());
    }
}
