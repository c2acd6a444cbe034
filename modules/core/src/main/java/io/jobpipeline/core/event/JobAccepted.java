package io.jobpipeline.core.event;

import java.time.Instant;

/** A job the intake durably queued; the worker publishes it with the job's first outcome, same eventId every time. */
public record JobAccepted(String eventId, String jobId, String type, String producer, int attempt, String callbackUrl,
                          Instant acceptedAt) implements JobEvent {}
