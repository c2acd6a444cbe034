package io.jobpipeline.core.port;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where jobs live. Every state change is conditional on the state it expects, so redeliveries cannot apply twice. */
public interface JobStore {

    /** Stores a new job; fails if the id exists. */
    void create(Job job) throws StoreUnavailable;

    Optional<Job> find(JobId id) throws StoreUnavailable;

    /** Takes back a job whose message never reached the queue, so no record claims a job that will not run. */
    void delete(JobId id) throws StoreUnavailable;

    /**
     * RUNNING with attempts + 1 and a lease until {@code leaseUntil}. Refused ({@link StaleTransition}) when the job is
     * COMPLETED, another delivery started this attempt, or another attempt is RUNNING with its lease not yet expired:
     * a crashed attempt is taken over once its lease has run out, a live one never.
     */
    Job startAttempt(JobId id, int attempt, Instant now, Instant leaseUntil) throws StaleTransition, StoreUnavailable;

    /**
     * COMPLETED, the handler's writes and the outcome event, all in one transaction, only from RUNNING. Refused
     * ({@link OutcomeTooLarge}) when the result or a write is more than the store can hold: no retry changes that.
     */
    void complete(Job job, JsonNode result, List<EntityWrite> writes, JobEvent event, Instant now)
            throws StaleTransition, OutcomeTooLarge, StoreUnavailable;

    /** FAILED or DEAD_LETTERED with the error and the outcome event, only from RUNNING. */
    void fail(Job job, JobStatus status, String error, JobEvent event, Instant now) throws StaleTransition, StoreUnavailable;

    /** The store cannot hold the outcome (DynamoDB: an item over 400 KB); the message says what and how big. */
    final class OutcomeTooLarge extends Exception {
        public OutcomeTooLarge(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The store said no to a transition: another delivery got there first. */
    final class StaleTransition extends Exception {
        public StaleTransition(String message) {
            super(message);
        }
    }
}
