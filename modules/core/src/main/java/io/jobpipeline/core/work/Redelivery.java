package io.jobpipeline.core.work;

import java.time.Duration;

/** A message of the batch that must come back, and how long it stays invisible first (its visibility timeout). */
public record Redelivery(String messageId, Duration visibility) {}
