package io.jobpipeline.intake;

import io.jobpipeline.core.log.LogFields;
import io.jobpipeline.core.port.JobMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The intake's one line and one count per job it queued: where a job's trail through the logs begins. */
final class AcceptedJobLog {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptedJobLog.class);

    private AcceptedJobLog() {}

    static void accepted(String jobId, String type, String producer, JobMetrics metrics) {
        metrics.accepted(type);
        try (LogFields fields = LogFields.of(LogFields.JOB_ID, jobId, LogFields.TYPE, type, LogFields.ATTEMPT, 0)) {
            LOG.info("job accepted from producer {}", producer);
        }
    }
}
