package io.jobpipeline.cli.dlq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The jobs' items ({@code PK=JOB#<id>, SK=JOB}): read a batch of them to explain dead messages, and append a
 * {@code REPLAYED} entry to a job's timeline, the shape the worker writes, so {@code jobs show} tells the story.
 */
final class JobRecords {
    private static final int MAX_KEYS = 100;

    private final DynamoDbClient dynamo;
    private final String table;

    JobRecords(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The records of these jobs that exist, by job id. */
    Map<String, JobRecord> find(Collection<String> jobIds) {
        Map<String, JobRecord> found = new HashMap<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(jobIds));
        for (int from = 0; from < ids.size(); from += MAX_KEYS) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + MAX_KEYS)).stream()
                    .map(JobRecords::key).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> pending = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(pending));
                response.responses().getOrDefault(table, List.of()).forEach(item -> {
                    JobRecord record = record(item);
                    found.put(record.jobId(), record);
                });
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    /** Appends {@code REPLAYED} to the job's timeline; false when the job has no record. */
    boolean appendReplayed(String jobId, String detail, Instant at) {
        Map<String, AttributeValue> entry = Map.of("at", AttributeValue.fromS(at.toString()),
                "event", AttributeValue.fromS("REPLAYED"), "detail", AttributeValue.fromS(detail));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(jobId))
                    .updateExpression("SET timeline = list_append(if_not_exists(timeline, :empty), :entry), updatedAt = :now")
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeValues(Map.of(":entry", AttributeValue.fromL(List.of(AttributeValue.fromM(entry))),
                            ":empty", AttributeValue.fromL(List.of()), ":now", AttributeValue.fromS(at.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String jobId) {
        return Map.of("PK", AttributeValue.fromS("JOB#" + jobId), "SK", AttributeValue.fromS("JOB"));
    }

    private static JobRecord record(Map<String, AttributeValue> item) {
        List<JobRecord.Failure> failures = new ArrayList<>();
        AttributeValue timeline = item.get("timeline");
        if (timeline != null && timeline.hasL()) {
            for (AttributeValue e : timeline.l()) {
                Map<String, AttributeValue> m = e.m();
                String event = text(m.get("event"));
                if ("FAILED".equals(event) || "DEAD_LETTERED".equals(event)) {
                    failures.add(new JobRecord.Failure(Instant.parse(text(m.get("at"))), event,
                            m.containsKey("attempt") ? Integer.valueOf(m.get("attempt").n()) : null, text(m.get("detail"))));
                }
            }
        }
        AttributeValue attempts = item.get("attempts");
        return new JobRecord(text(item.get("jobId")), text(item.get("type")), text(item.get("status")),
                attempts == null ? 0 : Integer.parseInt(attempts.n()), text(item.get("lastError")), failures);
    }

    private static String text(AttributeValue v) {
        return v == null ? null : v.s();
    }
}
