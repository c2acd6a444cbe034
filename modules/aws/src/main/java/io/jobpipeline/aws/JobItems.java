package io.jobpipeline.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.job.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single-table layout: a job is {@code PK=JOB#<id>, SK=JOB}, listed per producer through {@code ByProducer}
 * ({@code GSI1PK=PRODUCER#<p>, GSI1SK=<createdAt>#<id>}); payload, result and last event are JSON text.
 */
final class JobItems {
    static final String PK = "PK";
    static final String SK = "SK";
    /**
     * createdAt for the index's sort key, always with nine fraction digits: Instant.toString drops trailing zeros
     * ({@code 08:14:03Z}, {@code 08:14:03.2Z}), and a shorter text would sort after a later time within its second.
     */
    static final java.time.format.DateTimeFormatter SORTABLE = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private JobItems() {}

    static Map<String, AttributeValue> key(JobId id) {
        return Map.of(PK, s("JOB#" + id.value()), SK, s("JOB"));
    }

    static Map<String, AttributeValue> entityKey(String kind, String id) {
        return Map.of(PK, s(kind.toUpperCase(java.util.Locale.ROOT) + "#" + id), SK, s(kind.toUpperCase(java.util.Locale.ROOT)));
    }

    static Map<String, AttributeValue> toItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>(key(job.id()));
        item.put("jobId", s(job.id().value()));
        item.put("type", s(job.type()));
        item.put("producer", s(job.producer()));
        item.put("status", s(job.status().name()));
        item.put("attempts", n(job.attempts()));
        item.put("payload", s(Json.write(job.payload())));
        if (job.callbackUrl() != null) {
            item.put("callbackUrl", s(job.callbackUrl()));
        }
        item.put("createdAt", s(job.createdAt().toString()));
        item.put("updatedAt", s(job.updatedAt().toString()));
        item.put("timeline", AttributeValue.fromL(job.timeline().stream().map(JobItems::entry).toList()));
        item.put("GSI1PK", s("PRODUCER#" + job.producer()));
        item.put("GSI1SK", s(SORTABLE.format(job.createdAt()) + "#" + job.id().value()));
        return item;
    }

    static Job fromItem(Map<String, AttributeValue> item) {
        return new Job(
                new JobId(item.get("jobId").s()),
                item.get("type").s(),
                item.get("producer").s(),
                JobStatus.valueOf(item.get("status").s()),
                Integer.parseInt(item.get("attempts").n()),
                json(item.get("payload")),
                str(item.get("callbackUrl")),
                json(item.get("result")),
                str(item.get("lastError")),
                instant(item.get("createdAt")),
                instant(item.get("updatedAt")),
                instant(item.get("completedAt")),
                timeline(item.get("timeline")),
                event(item.get("lastEvent"), item.get("result")));
    }

    static AttributeValue entry(TimelineEntry e) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("at", s(e.at().toString()));
        m.put("event", s(e.event()));
        if (e.attempt() != null) {
            m.put("attempt", n(e.attempt()));
        }
        if (e.detail() != null) {
            m.put("detail", s(e.detail()));
        }
        return AttributeValue.fromM(m);
    }

    /**
     * The stored outcome event. A JobCompleted's result is left out: the item holds it once, as {@code result}, and
     * reading puts it back, so the event republished is the one first sent. A write is billed per KB of the whole
     * item, and the result twice pushed a completed job past 1 KB.
     */
    static AttributeValue event(JobEvent e) {
        JsonNode detail = Json.MAPPER.valueToTree(e);
        if (e instanceof JobCompleted && detail instanceof ObjectNode o) {
            o.remove("result");
        }
        return AttributeValue.fromM(Map.of("detailType", s(e.detailType()), "detail", s(Json.write(detail))));
    }

    private static JobEvent event(AttributeValue v, AttributeValue result) {
        if (v == null || v.m() == null || v.m().isEmpty()) {
            return null;
        }
        JsonNode detail = Json.tree(v.m().get("detail").s());
        String detailType = v.m().get("detailType").s();
        if ("JobCompleted".equals(detailType) && detail instanceof ObjectNode o
                && !o.has("result") && result != null && result.s() != null) {
            o.set("result", Json.tree(result.s()));
        }
        return JobEvents.fromDetail(detailType, detail);
    }

    private static List<TimelineEntry> timeline(AttributeValue v) {
        List<TimelineEntry> entries = new ArrayList<>();
        if (v == null || !v.hasL()) {
            return entries;
        }
        for (AttributeValue e : v.l()) {
            Map<String, AttributeValue> m = e.m();
            entries.add(new TimelineEntry(Instant.parse(m.get("at").s()), m.get("event").s(),
                    m.containsKey("attempt") ? Integer.valueOf(m.get("attempt").n()) : null, str(m.get("detail"))));
        }
        return entries;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static String str(AttributeValue v) {
        return v == null ? null : v.s();
    }

    private static JsonNode json(AttributeValue v) {
        return v == null || v.s() == null ? null : Json.tree(v.s());
    }

    private static Instant instant(AttributeValue v) {
        return v == null || v.s() == null ? null : Instant.parse(v.s());
    }
}
