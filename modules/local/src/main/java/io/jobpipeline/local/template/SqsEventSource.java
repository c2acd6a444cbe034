package io.jobpipeline.local.template;

/**
 * An SQS event of a function. maximumConcurrency is ScalingConfig.MaximumConcurrency; without one the local stack
 * polls with 2 (AWS's minimum), not AWS's "as many as the account allows".
 */
public record SqsEventSource(String name, String queueLogicalId, int batchSize, int maximumBatchingWindowSeconds,
                             boolean reportBatchItemFailures, int maximumConcurrency, boolean enabled) {
}
