package io.jobpipeline.worker;

import io.jobpipeline.core.retry.RedeliveryBackoff;
import io.jobpipeline.core.retry.RetryPolicy;
import io.jobpipeline.core.settings.Environment;
import java.util.Optional;

/**
 * The worker function's environment, read once at cold start. MAX_RECEIVE_COUNT mirrors the queue's redrive policy.
 * RETRY_VISIBILITY_BASE_SECONDS / RETRY_VISIBILITY_CAP_SECONDS: how long a failed message waits before its next
 * delivery (doubling per receive, capped). RETRY_BASE_MILLIS / RETRY_CAP_MILLIS / RETRY_MAX_ATTEMPTS: the backoff of
 * AWS calls within one invocation (optional; the defaults suit a 30 s function).
 */
record WorkerSettings(String jobsTable, String eventBusName, int maxReceiveCount, Optional<String> jobsQueueUrl,
                      RedeliveryBackoff redelivery, RetryPolicy calls) {
    static final int VISIBILITY_BASE_SECONDS = 2;
    static final int VISIBILITY_CAP_SECONDS = 300;

    static WorkerSettings from(Environment env) {
        return new WorkerSettings(env.require("JOBS_TABLE"), env.require("EVENT_BUS_NAME"), env.integer("MAX_RECEIVE_COUNT", 3),
                env.optional("JOBS_QUEUE_URL"),
                RedeliveryBackoff.ofSeconds(env.integer("RETRY_VISIBILITY_BASE_SECONDS", VISIBILITY_BASE_SECONDS),
                        env.integer("RETRY_VISIBILITY_CAP_SECONDS", VISIBILITY_CAP_SECONDS)),
                RetryPolicy.ofMillis(env.integer("RETRY_BASE_MILLIS", 50), env.integer("RETRY_CAP_MILLIS", 2000),
                        env.integer("RETRY_MAX_ATTEMPTS", 6)));
    }
}
