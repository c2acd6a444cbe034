package io.jobpipeline.core.event;

import java.time.Instant;

/** Sent when the intake has durably queued a job. */
public record JobAccepted(String eventId, String jobId, String type, String producer, int attempt, String callbackUrl,
                          Instant acceptedAt) implements JobEvent {}
