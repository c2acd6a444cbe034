package io.jobpipeline.core.work;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.handler.JobContext;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.port.EntityStore;
import io.jobpipeline.core.port.EntityWrite;
import io.jobpipeline.core.port.StoreUnavailable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads through to the entity store; holds writes back until the job's completion commits them all at once. */
final class BufferedJobContext implements JobContext {
    private final Job job;
    private final EntityStore entities;
    private final List<EntityWrite> writes = new ArrayList<>();

    BufferedJobContext(Job job, EntityStore entities) {
        this.job = job;
        this.entities = entities;
    }

    @Override
    public JobId jobId() {
        return job.id();
    }

    @Override
    public String producer() {
        return job.producer();
    }

    @Override
    public int attempt() {
        return job.attempts();
    }

    @Override
    public <T> Optional<T> read(String kind, String id, Class<T> type) throws JobFailure {
        try {
            Optional<JsonNode> found = entities.find(kind, id);
            return found.map(node -> Json.convert(node, type));
        } catch (StoreUnavailable e) {
            throw JobFailure.retryable("could not read " + kind + " " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String kind, String id, Object value) {
        writes.add(new EntityWrite(kind, id, Json.MAPPER.valueToTree(value)));
    }

    List<EntityWrite> writes() {
        return List.copyOf(writes);
    }
}
