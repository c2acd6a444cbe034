package io.jobpipeline.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** Event ids, and the way back from a detail type and detail JSON to the record. */
public final class JobEvents {
    private static final Map<String, Class<? extends JobEvent>> BY_DETAIL_TYPE = Map.of(
            "JobAccepted", JobAccepted.class,
            "JobCompleted", JobCompleted.class,
            "JobFailed", JobFailed.class,
            "JobDeadLettered", JobDeadLettered.class);

    private JobEvents() {}

    /** Stable per job, detail type and attempt (attempt 0 for once-per-job events): publishing again reuses it. */
    public static String eventId(String jobId, String detailType, int attempt) {
        String name = jobId + "/" + detailType + "/" + attempt;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static JobEvent fromDetail(String detailType, JsonNode detail) {
        Class<? extends JobEvent> type = BY_DETAIL_TYPE.get(detailType);
        if (type == null) {
            throw new IllegalArgumentException("unknown detail type " + detailType);
        }
        return Json.convert(detail, type);
    }

    /** When the event happened: acceptance, completion, failure, dead-lettering. */
    public static java.time.Instant occurredAt(JobEvent event) {
        return switch (event) {
            case JobAccepted a -> a.acceptedAt();
            case JobCompleted c -> c.completedAt();
            case JobFailed f -> f.failedAt();
            case JobDeadLettered d -> d.deadLetteredAt();
        };
    }

        public static boolean isKnown(String detailType) {
        return BY_DETAIL_TYPE.containsKey(detailType);
    }
}
