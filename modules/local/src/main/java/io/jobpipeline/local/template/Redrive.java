package io.jobpipeline.local.template;

/** A queue's RedrivePolicy: its dead-letter queue (a queue of this template) and the receives before moving there. */
public record Redrive(String deadLetterQueueLogicalId, int maxReceiveCount) {
}
