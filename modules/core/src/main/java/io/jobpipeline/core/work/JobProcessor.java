package io.jobpipeline.core.work;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobAccepted;
import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.event.JobDeadLettered;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.event.JobFailed;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.handler.JobHandler;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobMessage;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.log.LogFields;
import io.jobpipeline.core.port.EntityStore;
import io.jobpipeline.core.port.EventPublisher;
import io.jobpipeline.core.port.JobMetrics;
import io.jobpipeline.core.port.JobStore;
import io.jobpipeline.core.port.JobStore.OutcomeTooLarge;
import io.jobpipeline.core.port.JobStore.StaleTransition;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one delivery of a job: start an attempt, run the handler, commit its writes with the outcome. A job already
 * COMPLETED is not run again; its stored outcome event is published again instead, which is also how an event lost
 * between the DynamoDB write and PutEvents still gets out: the message is only deleted once its events are published.
 * Every delivery's events start with the job's {@code JobAccepted} (see {@link #republished(Job)}); a stored outcome
 * an attempt is about to replace goes on the bus first (see {@link #publishBeforeReplacing}).
 */
public final class JobProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(JobProcessor.class);
    /** How long an attempt holds its job when no deadline is given: Lambda's longest invocation. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(15);

    private final JobStore store;
    private final EntityStore entities;
    private final JobHandlers handlers;
    private final Clock clock;
    private final int maxReceiveCount;
    private final Duration defaultLease;
    private final JobMetrics metrics;
    private final EventPublisher bus;

    public JobProcessor(JobStore store, EntityStore entities, JobHandlers handlers, Clock clock, int maxReceiveCount) {
        this(store, entities, handlers, clock, maxReceiveCount, DEFAULT_LEASE);
    }

    /** {@code defaultLease}: how long an attempt holds the job when the caller gives no deadline (Lambda's maximum). */
    public JobProcessor(JobStore store, EntityStore entities, JobHandlers handlers, Clock clock, int maxReceiveCount,
                        Duration defaultLease) {
        this(store, entities, handlers, clock, maxReceiveCount, defaultLease, JobMetrics.NONE);
    }

    /** {@code metrics}: counts each attempt's outcome and the handler's duration per job type. */
    public JobProcessor(JobStore store, EntityStore entities, JobHandlers handlers, Clock clock, int maxReceiveCount,
                        Duration defaultLease, JobMetrics metrics) {
        this(store, entities, handlers, clock, maxReceiveCount, defaultLease, metrics, null);
    }

    /**
     * {@code bus}: where a stored outcome goes again before a new attempt replaces it in the record (see
     * {@link #publishBeforeReplacing}); without it (null) the stored outcome only rides with the next outcome's events.
     */
    public JobProcessor(JobStore store, EntityStore entities, JobHandlers handlers, Clock clock, int maxReceiveCount,
                        Duration defaultLease, JobMetrics metrics, EventPublisher bus) {
        this.bus = bus;
        this.metrics = metrics;
        this.store = store;
        this.entities = entities;
        this.handlers = handlers;
        this.clock = clock;
        this.maxReceiveCount = maxReceiveCount;
        this.defaultLease = defaultLease;
    }

    public Outcome process(JobMessage message, int receiveCount) {
        return process(message, receiveCount, null);
    }

    /**
     * {@code deadline}: when the invocation running this delivery ends at the latest; the attempt's lease ends then,
     * so a delivery after a crash can take the job over, and one during a live attempt cannot.
     */
    public Outcome process(JobMessage message, int receiveCount, Instant deadline) {
        // The job's keys on every line logged while it runs (the attempt is added once it is known).
        try (LogFields fields = LogFields.of(LogFields.JOB_ID, message.jobId(), LogFields.TYPE, message.type(),
                LogFields.ATTEMPT, null)) {
            return deliver(message, receiveCount, deadline);
        }
    }

    private Outcome deliver(JobMessage message, int receiveCount, Instant deadline) {
        try {
            Optional<Job> found = store.find(message.id());
            if (found.isEmpty()) {
                // The intake writes the record before it sends: no record means it took the job back and answered 503.
                LOG.warn("job {} has no record; its intake never accepted it, dropping the message", message.jobId());
                return Outcome.done(List.of());
            }
            Job job = found.get();
            if (job.status() == JobStatus.COMPLETED) {
                LOG.info("job already completed; its events are published again");
                return Outcome.done(republished(job));
            }
            List<JobEvent> earlier = republished(job);
            if (!publishBeforeReplacing(job, earlier)) {
                return Outcome.retry(List.of(), "the job's earlier events could not be published yet");
            }
            Job running;
            Instant now = clock.instant();
            try {
                running = store.startAttempt(job.id(), job.attempts() + 1, now, deadline == null ? now.plus(defaultLease) : deadline);
            } catch (StaleTransition lostTheStart) {
                return afterLostTransition(job, earlier);
            }
            return run(running, receiveCount, bus == null || job.lastEvent() == null ? earlier : List.of());
        } catch (StoreUnavailable e) {
            LOG.warn("job {}: {}; the message comes back", message.jobId(), e.getMessage());
            return Outcome.retry(List.of(), e.getMessage());
        }
    }

    private Outcome run(Job job, int receiveCount, List<JobEvent> earlier) throws StoreUnavailable {
        MDC.put(LogFields.ATTEMPT, Integer.toString(job.attempts()));
        Instant started = clock.instant();
        Optional<JobHandler<?, ?>> handler = handlers.forType(job.type());
        if (handler.isEmpty()) {
            return fail(job, receiveCount, "no handler for job type " + job.type(), false, earlier);
        }
        BufferedJobContext context = new BufferedJobContext(job, entities);
        JsonNode result;
        try {
            result = Json.MAPPER.valueToTree(invoke(handler.get(), job, context));
        } catch (JobFailure failure) {
            return fail(job, receiveCount, failure.getMessage(), failure.retryable(), earlier);
        } catch (RuntimeException bug) {
            LOG.error("handler for {} threw on job {}", job.type(), job.id(), bug);
            return fail(job, receiveCount, bug.toString(), true, earlier);
        }
        Instant now = clock.instant();
        JobCompleted completed = new JobCompleted(JobEvents.eventId(job.id().value(), "JobCompleted", 0),
                job.id().value(), job.type(), job.producer(), job.attempts(), job.callbackUrl(), result,
                job.createdAt(), now, Duration.between(started, now).toMillis());
        try {
            store.complete(job, result, context.writes(), completed, now);
        } catch (StaleTransition lostTheJob) {
            return afterLostTransition(job, earlier);
        } catch (OutcomeTooLarge tooLarge) {
            // The same result every attempt: a permanent failure, on to the dead-letter queue without waiting.
            return fail(job, receiveCount, tooLarge.getMessage(), false, earlier);
        }
        metrics.completed(job.type(), completed.durationMs());
        LOG.info("job completed in {} ms", completed.durationMs());
        // An earlier attempt's JobFailed goes out again too, in case its publishing failed back then.
        return Outcome.done(concat(earlier, completed));
    }

    @SuppressWarnings("unchecked")
    private static <P, R> R invoke(JobHandler<P, R> handler, Job job, BufferedJobContext context) throws JobFailure {
        P payload;
        try {
            payload = Json.convert(job.payload(), handler.payloadType());
        } catch (IllegalArgumentException e) {
            throw JobFailure.permanent("payload does not fit " + handler.payloadType().getSimpleName() + ": " + e.getMessage());
        }
        return handler.handle(payload, context);
    }

    private Outcome fail(Job job, int receiveCount, String error, boolean retryable, List<JobEvent> earlier)
            throws StoreUnavailable {
        Instant now = clock.instant();
        String id = job.id().value();
        boolean last = receiveCount >= maxReceiveCount;
        JobEvent event = last
                ? new JobDeadLettered(JobEvents.eventId(id, "JobDeadLettered", job.attempts()), id, job.type(),
                        job.producer(), job.attempts(), job.callbackUrl(), error, now)
                : new JobFailed(JobEvents.eventId(id, "JobFailed", job.attempts()), id, job.type(), job.producer(),
                        job.attempts(), job.callbackUrl(), error, retryable, now);
        try {
            store.fail(job, last ? JobStatus.DEAD_LETTERED : JobStatus.FAILED, error, event, now);
        } catch (StaleTransition lostTheJob) {
            return afterLostTransition(job, earlier);
        }
        if (last) {
            metrics.deadLettered(job.type());
            LOG.warn("attempt failed, the job goes to the dead-letter queue: {}", error);
        } else {
            metrics.failed(job.type());
            LOG.warn("attempt failed ({}), the job comes back: {}", retryable ? "retryable" : "permanent", error);
        }
        // Waiting helps a retryable failure only; a permanent one, or the last delivery, goes on to the DLQ at once.
        return retryable && !last ? Outcome.retry(concat(earlier, event), error) : Outcome.retryAtOnce(concat(earlier, event), error);
    }

    /**
     * Another delivery changed the job first. Only a COMPLETED job lets this message go; otherwise it must come back,
     * or a crash of the other delivery would leave the job with no message to finish it.
     */
    private Outcome afterLostTransition(Job job, List<JobEvent> earlier) throws StoreUnavailable {
        Job now = store.find(job.id()).orElse(job);
        if (now.status() == JobStatus.COMPLETED) {
            return Outcome.done(now.lastEvent() == null ? earlier : concat(earlier, now.lastEvent()));
        }
        LOG.info("job {}: another delivery holds it ({}); the message comes back", job.id(), now.status());
        return Outcome.retry(List.of(), "another delivery of job " + job.id() + " holds it (" + now.status() + ")");
    }

    /**
     * The record keeps only its latest outcome event, and this attempt is about to replace it: publish it (with the
     * job's JobAccepted) first, or a delivery killed between its own write and its PutEvents would lose the earlier
     * event for good (the next delivery would only see the newer one). False when it could not be published: the
     * attempt waits, and the message comes back.
     */
    private boolean publishBeforeReplacing(Job job, List<JobEvent> earlier) {
        if (bus == null || job.lastEvent() == null) {
            return true;
        }
        List<JobEvent> unpublished = bus.publish(earlier);
        if (!unpublished.isEmpty()) {
            LOG.warn("job {}: {} earlier event(s) not published; the attempt waits for the next delivery", job.id(), unpublished.size());
        }
        return unpublished.isEmpty();
    }

    /**
     * What every delivery publishes (again) besides its own outcome, in case an earlier delivery's PutEvents failed:
     * the job's JobAccepted and its last stored outcome. JobAccepted is made from the record's fixed fields (id, type,
     * producer, callback, acceptance time), so it is the same event, same eventId, every time: the intake stays one
     * PutItem and one SendMessage, and the event rides in the outcome's PutEvents call.
     */
    private static List<JobEvent> republished(Job job) {
        JobAccepted accepted = new JobAccepted(JobEvents.eventId(job.id().value(), "JobAccepted", 0), job.id().value(),
                job.type(), job.producer(), 0, job.callbackUrl(), job.createdAt());
        return job.lastEvent() == null ? List.of(accepted) : List.of(accepted, job.lastEvent());
    }

    private static List<JobEvent> concat(List<JobEvent> earlier, JobEvent event) {
        // The earlier outcome (a JobFailed of the previous attempt) is published again in case it never got out.
        return earlier.stream().anyMatch(e -> e.eventId().equals(event.eventId()))
                ? earlier
                : java.util.stream.Stream.concat(earlier.stream(), java.util.stream.Stream.of(event)).toList();
    }
}
