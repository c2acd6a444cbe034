package io.jobpipeline.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** Sent once a job's handler succeeded and its effects are stored; re-sent, with the same eventId, on redelivery. */
public record JobCompleted(String eventId, String jobId, String type, String producer, int attempt, String callbackUrl,
                           JsonNode result, Instant acceptedAt, Instant completedAt, long durationMs) implements JobEvent {}
