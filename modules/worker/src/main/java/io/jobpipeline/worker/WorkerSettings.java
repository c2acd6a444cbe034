package io.jobpipeline.worker;

import io.jobpipeline.core.settings.Environment;

/** The worker function's environment, read once at cold start; MAX_RECEIVE_COUNT mirrors the queue's redrive policy. */
record WorkerSettings(String jobsTable, String eventBusName, int maxReceiveCount) {
    static WorkerSettings from(Environment env) {
        return new WorkerSettings(env.require("JOBS_TABLE"), env.require("EVENT_BUS_NAME"), env.integer("MAX_RECEIVE_COUNT", 3));
    }
}
