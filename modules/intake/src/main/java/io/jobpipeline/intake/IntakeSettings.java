package io.jobpipeline.intake;

import io.jobpipeline.core.settings.Environment;

/** The intake function's environment, read once at cold start. */
record IntakeSettings(String jobsTable, String jobsQueueUrl) {
    static IntakeSettings from(Environment env) {
        return new IntakeSettings(env.require("JOBS_TABLE"), env.require("JOBS_QUEUE_URL"));
    }
}
