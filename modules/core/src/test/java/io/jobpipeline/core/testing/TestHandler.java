package io.jobpipeline.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.handler.JobContext;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.handler.JobHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A handler over raw JSON payloads whose behaviour is a lambda; it records the job ids it was called for, in order. */
public final class TestHandler implements JobHandler<JsonNode, Object> {
    @FunctionalInterface
    public interface Body {
        Object run(JsonNode payload, JobContext context) throws JobFailure, InterruptedException;
    }

    private final String type;
    private final Body body;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    public TestHandler(String type, Body body) {
        this.type = type;
        this.body = body;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Class<JsonNode> payloadType() {
        return JsonNode.class;
    }

    @Override
    public Object handle(JsonNode payload, JobContext context) throws JobFailure {
        calls.add(context.jobId().value());
        try {
            return body.run(payload, context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JobFailure.retryable("interrupted", e);
        }
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    public int invocations() {
        return calls.size();
    }
}
