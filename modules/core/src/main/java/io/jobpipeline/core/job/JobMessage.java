package io.jobpipeline.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The body of a job's queue message: everything the worker needs without reading the job record first. */
public record JobMessage(String jobId, String type, String producer, JsonNode payload, String callbackUrl, Instant acceptedAt) {
    public JobId id() {
        return new JobId(jobId);
    }
}
