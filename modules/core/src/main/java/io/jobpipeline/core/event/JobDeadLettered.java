package io.jobpipeline.core.event;

import java.time.Instant;

/** Sent when the last allowed attempt failed: the message goes to the dead-letter queue and waits for an operator. */
public record JobDeadLettered(String eventId, String jobId, String type, String producer, int attempt, String callbackUrl,
                              String error, Instant deadLetteredAt) implements JobEvent {}
