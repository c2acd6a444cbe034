package io.jobpipeline.core.port;

import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobMessage;
import java.util.List;

/** The jobs queue, many messages at a time. */
public interface JobBatchQueue {

    /**
     * Sends every message it can, in as few calls as the queue allows, and names each one it could not send: a failed
     * call refuses all of its messages. Never throws for a message, so none is lost without saying so.
     */
    List<Refusal> sendAll(List<Outgoing> messages);

    record Outgoing(JobMessage message, int delaySeconds) {}

    /** A message the queue did not take; {@code transientFault}: the same message may go through later. */
    record Refusal(JobId jobId, String reason, boolean transientFault) {}
}
