package io.jobpipeline.cli.dlq;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The replays' audit trail in the jobs table: {@code PK=REPLAY, SK=<started ISO time>#<replayId>}, a partition no job
 * item uses ({@code JOB#...}, {@code CONSUMED#...}, entities), with no {@code expiresAt}: kept until deleted. Written
 * when a replay starts and again when it ends, so one that died shows as RUNNING.
 */
final class ReplayAudit {
    private static final String PARTITION = "REPLAY";

    private final DynamoDbClient dynamo;
    private final String table;

    ReplayAudit(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    void write(ReplayRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("PK", s(PARTITION));
        item.put("SK", s(r.startedAt() + "#" + r.replayId()));
        item.put("replayId", s(r.replayId()));
        item.put("startedAt", s(r.startedAt().toString()));
        item.put("operator", s(r.operator()));
        item.put("queue", s(r.queue()));
        item.put("destination", s(r.destination()));
        item.put("filters", s(r.filters()));
        item.put("dryRun", AttributeValue.fromBool(r.dryRun()));
        item.put("status", s(r.status()));
        item.put("moved", n(r.moved()));
        item.put("skipped", n(r.skipped()));
        item.put("failed", n(r.failed()));
        if (r.moveTaskHandle() != null) {
            item.put("moveTaskHandle", s(r.moveTaskHandle()));
        }
        if (r.finishedAt() != null) {
            item.put("finishedAt", s(r.finishedAt().toString()));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** The newest {@code limit} replays, newest first. */
    List<ReplayRecord> newest(int limit) {
        return dynamo.query(b -> b.tableName(table).keyConditionExpression("PK = :p").scanIndexForward(false).limit(limit)
                        .expressionAttributeValues(Map.of(":p", s(PARTITION))))
                .items().stream().map(ReplayAudit::record).toList();
    }

    private static ReplayRecord record(Map<String, AttributeValue> i) {
        return new ReplayRecord(text(i, "replayId"), Instant.parse(text(i, "startedAt")), text(i, "operator"), text(i, "queue"),
                text(i, "destination"), text(i, "filters"), i.containsKey("dryRun") && i.get("dryRun").bool(),
                text(i, "status"), number(i, "moved"), number(i, "skipped"), number(i, "failed"), text(i, "moveTaskHandle"),
                i.containsKey("finishedAt") ? Instant.parse(text(i, "finishedAt")) : null);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value == null ? "" : value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
