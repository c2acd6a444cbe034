package io.jobpipeline.core.intake;

import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.port.StoreUnavailable;

/** What became of an attempt to store and queue a job. */
public sealed interface Enqueued {

    /** The record exists and its message is on the queue. */
    record Queued(Job job) implements Enqueued {}

    /**
     * Not queued. {@code cause} is a {@link StoreUnavailable} or a {@link RuntimeException}; {@code recordLeft}: the
     * job's record may still stand without a message, because taking it back failed too.
     */
    record Failed(Exception cause, boolean recordLeft) implements Enqueued {
        /** Throws the cause; typed to fit wherever an answer was expected. */
        public <T> T raise() throws StoreUnavailable {
            if (cause instanceof StoreUnavailable unavailable) {
                throw unavailable;
            }
            throw (RuntimeException) cause;
        }
    }
}
