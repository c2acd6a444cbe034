package io.jobpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.port.StoreUnavailable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /jobs}: the producer's own jobs, newest first, through the {@code ByProducer} index. Query parameters:
 * {@code limit} (1 to 100, default 20), {@code cursor} (the {@code nextCursor} of the previous page, opaque: base64url
 * of the index's LastEvaluatedKey), {@code status} (one of {@link JobStatus}). A cursor only reads the producer's own
 * index partition: one naming another producer is refused like a corrupt one.
 */
final class ListRoute {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final Set<String> KEY_NAMES = Set.of("PK", "SK", "GSI1PK", "GSI1SK");
    private static final Set<String> PARAMETERS = Set.of("limit", "cursor", "status");

    private final DynamoDbJobStore jobs;

    ListRoute(DynamoDbJobStore jobs) {
        this.jobs = jobs;
    }

    APIGatewayV2HTTPResponse list(APIGatewayV2HTTPEvent event, String producer) throws StoreUnavailable {
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                return invalid("unknown query parameter '" + name + "'; GET /jobs takes limit, cursor and status");
            }
        }
        int limit = DEFAULT_LIMIT;
        String limitText = query.get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT || !limitText.matches("[0-9]{1,3}")) {
                return invalid("limit must be a whole number from 1 to " + MAX_LIMIT + " (got '" + clip(limitText) + "')");
            }
        }
        JobStatus status = null;
        String statusText = query.get("status");
        if (statusText != null) {
            try {
                status = JobStatus.valueOf(statusText);
            } catch (IllegalArgumentException e) {
                return invalid("status must be one of " + Arrays.toString(JobStatus.values()) + " (got '" + clip(statusText) + "')");
            }
        }
        Map<String, String> start = null;
        String cursor = query.get("cursor");
        if (cursor != null) {
            start = decode(cursor, producer);
            if (start == null) {
                return invalid("cursor is not a nextCursor of GET /jobs for this producer; start again without one");
            }
        }
        DynamoDbJobStore.JobPage page = jobs.listByProducer(producer, status, limit, start);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", page.jobs().stream().map(JobSummary::of).toList());
        if (page.lastKey() != null) {
            body.put("nextCursor", encode(page.lastKey()));
        }
        return HttpResponses.json(200, body);
    }

    static String encode(Map<String, String> key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(new TreeMap<>(key)).getBytes(StandardCharsets.UTF_8));
    }

    /** The key in {@code cursor}, or null when it is not one this route handed to {@code producer}. */
    static Map<String, String> decode(String cursor, String producer) {
        try {
            JsonNode node = Json.tree(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (node == null || !node.isObject() || node.size() != KEY_NAMES.size()) {
                return null;
            }
            Map<String, String> key = new TreeMap<>();
            for (String name : KEY_NAMES) {
                JsonNode value = node.get(name);
                if (value == null || !value.isTextual()) {
                    return null;
                }
                key.put(name, value.asText());
            }
            boolean own = key.get("GSI1PK").equals("PRODUCER#" + producer) && key.get("SK").equals("JOB")
                    && key.get("PK").startsWith("JOB#") && key.get("GSI1SK").endsWith("#" + key.get("PK").substring(4));
            return own ? key : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static APIGatewayV2HTTPResponse invalid(String detail) {
        return HttpResponses.problem(Problem.of(400, "invalid-query", "Invalid Query Parameter", detail));
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
