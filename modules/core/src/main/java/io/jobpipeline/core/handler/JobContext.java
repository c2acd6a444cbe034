package io.jobpipeline.core.handler;

import io.jobpipeline.core.job.JobId;
import java.util.Optional;

/** What a handler may know and touch while it runs. */
public interface JobContext {
    JobId jobId();

    String producer();

    int attempt();

    <T> Optional<T> read(String kind, String id, Class<T> type) throws JobFailure;

    /** Buffered; stored with the job's completion in one transaction, so a retried job never writes twice. */
    void write(String kind, String id, Object value);
}
