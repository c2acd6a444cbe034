package io.jobpipeline.core.port;

/** What the pipeline counts per job type, for dashboards and alarms (CloudWatch EMF in AWS). */
public interface JobMetrics {
    /** Counts nothing: for callers that do not report metrics. */
    JobMetrics NONE = new JobMetrics() {
        @Override public void accepted(String jobType) {}
        @Override public void completed(String jobType, long processingMs) {}
        @Override public void failed(String jobType) {}
        @Override public void deadLettered(String jobType) {}
    };

    /** A job was durably queued. */
    void accepted(String jobType);

    /** An attempt succeeded; its handler ran {@code processingMs}. */
    void completed(String jobType, long processingMs);

    /** An attempt failed and the job comes back. */
    void failed(String jobType);

    /** The last allowed attempt failed: the job is in the dead-letter queue. */
    void deadLettered(String jobType);
}
