package io.jobpipeline.core.job;

/** Where a job stands. FAILED means an attempt failed and another will follow; DEAD_LETTERED means none will. */
public enum JobStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, DEAD_LETTERED;

    public boolean isFinal() {
        return this == COMPLETED || this == DEAD_LETTERED;
    }
}
