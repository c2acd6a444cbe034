package io.jobpipeline.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.work.QueueRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Small factories for jobs, their queue records and a fixed clock. */
public final class TestJobs {
    public static final Instant NOW = Instant.parse("2025-06-01T10:15:30.123Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final String TYPE = "test.job";

    private TestJobs() {}

    public static Job queued(String payloadJson) {
        return Job.accepted(JobId.next(CLOCK), new JobRequest(TYPE, Json.tree(payloadJson), "https://example.com/hook", null),
                "producer-1", NOW);
    }

    /** A QUEUED job, stored. */
    public static Job stored(InMemoryJobStore store, String payloadJson) {
        Job job = queued(payloadJson);
        store.put(job);
        return job;
    }

    public static QueueRecord record(String messageId, Job job, int receiveCount, String group) {
        return new QueueRecord(messageId, Json.write(job.message()), receiveCount, Optional.ofNullable(group));
    }

    public static QueueRecord raw(String messageId, String body) {
        return new QueueRecord(messageId, body, 1, Optional.empty());
    }

    public static JsonNode json(String json) {
        return Json.tree(json);
    }
}
