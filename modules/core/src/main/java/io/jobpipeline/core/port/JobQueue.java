package io.jobpipeline.core.port;

import io.jobpipeline.core.job.JobMessage;

/** The jobs queue. */
public interface JobQueue {
    void send(JobMessage message, int delaySeconds) throws StoreUnavailable;
}
