package io.jobpipeline.local.template;

import java.util.Optional;

/** An {@code AWS::SQS::Queue}; the name is QueueName, else the logical id (plus ".fifo" for a FIFO queue). */
public record QueueSpec(String logicalId, String queueName, boolean fifo, boolean contentBasedDeduplication,
                        int visibilityTimeoutSeconds, int messageRetentionSeconds, int delaySeconds,
                        Optional<Redrive> redrive) {
}
