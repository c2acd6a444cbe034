package io.jobpipeline.core.event;

import java.time.Instant;

/** Sent when an attempt failed and the queue will deliver the job again. */
public record JobFailed(String eventId, String jobId, String type, String producer, int attempt, String callbackUrl,
                        String error, boolean retryable, Instant failedAt) implements JobEvent {}
