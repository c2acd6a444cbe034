package io.jobpipeline.local.parity;

import io.jobpipeline.core.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/** Job events as the worker publishes them, and what the notification consumer records of them, seen through the SDK. */
final class JobEvents {
    static final String SOURCE = "jobs.pipeline";
    /** A private address: the notification consumer refuses it (in AWS and locally) and records a REFUSED attempt. */
    static final String REFUSED_CALLBACK = "http://10.0.0.1/parity";

    private JobEvents() {
    }

    static Map<String, Object> jobFailed(String jobId, String callbackUrl) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventId", UUID.randomUUID().toString());
        detail.put("jobId", jobId);
        detail.put("type", "parity.check");
        detail.put("producer", "parity-producer");
        detail.put("attempt", 1);
        if (callbackUrl != null) {
            detail.put("callbackUrl", callbackUrl);
        }
        detail.put("error", "parity probe");
        detail.put("retryable", true);
        detail.put("failedAt", Instant.now().toString());
        return detail;
    }

    static PutEventsRequestEntry entry(ParityTarget target, String detailType, Map<String, Object> detail, Instant time) {
        return PutEventsRequestEntry.builder().eventBusName(target.busName()).source(SOURCE).detailType(detailType)
                .detail(Json.write(detail)).time(time).build();
    }

    /** The notification consumer's attempt records of a job ({@code JOB#<id>}, {@code DELIVERY#...}). */
    static List<Map<String, AttributeValue>> deliveries(ParityTarget target, String jobId) {
        return target.dynamo.query(b -> b.tableName(target.table()).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :d)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("JOB#" + jobId),
                        ":d", AttributeValue.fromS("DELIVERY#")))).items();
    }
}
