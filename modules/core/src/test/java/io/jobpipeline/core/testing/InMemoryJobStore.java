package io.jobpipeline.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.job.TimelineEntry;
import io.jobpipeline.core.port.EntityStore;
import io.jobpipeline.core.port.EntityWrite;
import io.jobpipeline.core.port.JobStore;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Jobs and entities in memory, with the conditions of {@code DynamoDbJobStore}: startAttempt only if the job exists, is
 * not COMPLETED and has {@code attempt - 1} attempts; complete/fail only while RUNNING with the caller's attempt count.
 * Each method is atomic (synchronized), like a single conditional write or transaction. {@link #unavailable} makes an
 * operation throw {@link StoreUnavailable} without touching state.
 */
public final class InMemoryJobStore implements JobStore, EntityStore {
    public enum Op { CREATE, FIND, DELETE, START_ATTEMPT, COMPLETE, FAIL, FIND_ENTITY }

    private final Map<JobId, Job> jobs = new HashMap<>();
    private final Map<String, JsonNode> entities = new HashMap<>();
    private final Set<Op> unavailable = new HashSet<>();
    private volatile Consumer<Optional<Job>> afterFind = found -> {};
    private volatile int maxResultBytes = Integer.MAX_VALUE;

    public synchronized InMemoryJobStore unavailable(Op... ops) {
        unavailable.addAll(List.of(ops));
        return this;
    }

    /** Runs after every {@link #find(JobId)}, outside the store's lock: lets a test pause a reader on a stale read. */
    public InMemoryJobStore afterFind(Consumer<Optional<Job>> hook) {
        this.afterFind = hook;
        return this;
    }

    /** Refuses, as {@link OutcomeTooLarge}, a result whose JSON is over {@code bytes} (DynamoDB's item limit, scaled down). */
    public InMemoryJobStore maxResultBytes(int bytes) {
        this.maxResultBytes = bytes;
        return this;
    }

    public synchronized InMemoryJobStore available() {
        unavailable.clear();
        return this;
    }

    /** The stored job, bypassing fault injection. */
    public synchronized Job get(JobId id) {
        return jobs.get(id);
    }

    /** A stored entity, bypassing fault injection. */
    public synchronized Optional<JsonNode> entity(String kind, String id) {
        return Optional.ofNullable(entities.get(kind + "#" + id));
    }

    public synchronized int entityCount() {
        return entities.size();
    }

    /** Stores a job as it is, e.g. one already COMPLETED. */
    public synchronized void put(Job job) {
        jobs.put(job.id(), job);
    }

    @Override
    public synchronized void create(Job job) throws StoreUnavailable {
        check(Op.CREATE);
        if (jobs.putIfAbsent(job.id(), job) != null) {
            throw new IllegalStateException("job id " + job.id() + " is taken");
        }
    }

    @Override
    public Optional<Job> find(JobId id) throws StoreUnavailable {
        Optional<Job> found;
        synchronized (this) {
            check(Op.FIND);
            found = Optional.ofNullable(jobs.get(id));
        }
        afterFind.accept(found);
        return found;
    }

    private final Map<JobId, Instant> leases = new java.util.HashMap<>();

    @Override
    public synchronized void delete(JobId id) throws StoreUnavailable {
        check(Op.DELETE);
        jobs.remove(id);
    }

    @Override
    public synchronized Job startAttempt(JobId id, int attempt, Instant now, Instant leaseUntil) throws StaleTransition, StoreUnavailable {
        check(Op.START_ATTEMPT);
        Job job = jobs.get(id);
        boolean leased = job != null && job.status() == JobStatus.RUNNING && leases.getOrDefault(id, Instant.MIN).isAfter(now);
        if (job == null || job.status() == JobStatus.COMPLETED || job.attempts() != attempt - 1 || leased) {
            throw new StaleTransition("job " + id + " is completed, leased, or another delivery started attempt " + attempt);
        }
        leases.put(id, leaseUntil);
        Job running = with(job, JobStatus.RUNNING, attempt, job.result(), job.lastError(), now, job.completedAt(),
                new TimelineEntry(now, "ATTEMPT_STARTED", attempt, null), job.lastEvent());
        jobs.put(id, running);
        return running;
    }

    @Override
    public synchronized void complete(Job job, JsonNode result, List<EntityWrite> writes, JobEvent event, Instant now)
            throws StaleTransition, OutcomeTooLarge, StoreUnavailable {
        check(Op.COMPLETE);
        Job current = owned(job);
        int resultBytes = io.jobpipeline.core.Json.write(result).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (resultBytes > maxResultBytes) {
            throw new OutcomeTooLarge("the outcome is too large to store (result " + resultBytes + " bytes)", null);
        }
        jobs.put(job.id(), with(current, JobStatus.COMPLETED, current.attempts(), result, null, now, now,
                new TimelineEntry(now, "COMPLETED", current.attempts(), null), event));
        for (EntityWrite w : writes) {
            entities.put(w.kind() + "#" + w.id(), w.value());
        }
    }

    @Override
    public synchronized void fail(Job job, JobStatus status, String error, JobEvent event, Instant now)
            throws StaleTransition, StoreUnavailable {
        check(Op.FAIL);
        Job current = owned(job);
        jobs.put(job.id(), with(current, status, current.attempts(), current.result(),
                error == null ? "unknown error" : error, now, current.completedAt(),
                new TimelineEntry(now, status.name(), current.attempts(), error), event));
    }

    @Override
    public synchronized Optional<JsonNode> find(String kind, String id) throws StoreUnavailable {
        check(Op.FIND_ENTITY);
        return Optional.ofNullable(entities.get(kind + "#" + id));
    }

    private Job owned(Job job) throws StaleTransition {
        Job current = jobs.get(job.id());
        if (current == null || current.status() != JobStatus.RUNNING || current.attempts() != job.attempts()) {
            throw new StaleTransition("job " + job.id() + " attempt " + job.attempts() + " no longer owns the job");
        }
        return current;
    }

    private void check(Op op) throws StoreUnavailable {
        if (unavailable.contains(op)) {
            throw new StoreUnavailable("in-memory store: " + op + " unavailable", null);
        }
    }

    private static Job with(Job j, JobStatus status, int attempts, JsonNode result, String lastError, Instant now,
                            Instant completedAt, TimelineEntry entry, JobEvent lastEvent) {
        List<TimelineEntry> timeline = new ArrayList<>(j.timeline());
        timeline.add(entry);
        return new Job(j.id(), j.type(), j.producer(), status, attempts, j.payload(), j.callbackUrl(), result, lastError,
                j.createdAt(), now, completedAt, timeline, lastEvent);
    }
}
