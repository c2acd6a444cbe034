package io.jobpipeline.aws;

import static io.jobpipeline.aws.JobItems.n;
import static io.jobpipeline.aws.JobItems.s;

import io.jobpipeline.core.port.ConsumerLedger;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Idempotent consumers (Powertools' idempotency idea, kept small): the ledger entry {@code CONSUMED#<consumer>#<eventId>}
 * is written conditionally in the same transaction as the consumer's effect, so the effect happens once per event.
 * Entries expire (TTL) after the bus archive's replay horizon would make a duplicate plausible.
 */
public final class DynamoDbConsumerLedger implements ConsumerLedger {
    private static final Duration KEEP = Duration.ofDays(30);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoDbConsumerLedger(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean applyOnce(String consumer, String eventId, LedgerEffect effect) throws StoreUnavailable {
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put("PK", s("CONSUMED#" + consumer + "#" + eventId));
        entry.put("SK", s("EVENT"));
        entry.put("consumedAt", s(clock.instant().toString()));
        entry.put("expiresAt", n(clock.instant().plus(KEEP).getEpochSecond()));
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(entry)
                .conditionExpression("attribute_not_exists(PK)").build()).build());
        items.addAll(effectItems(effect));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            if (!e.cancellationReasons().isEmpty() && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw AwsFaults.unavailable(consumer + " applying event " + eventId, e);
        } catch (SdkException e) {
            throw AwsFaults.unavailable(consumer + " applying event " + eventId, e);
        }
    }

    private List<TransactWriteItem> effectItems(LedgerEffect effect) {
        return switch (effect) {
            case CountOutcome count -> countItems(count);
            case RecordDelivery delivery -> List.of(TransactWriteItem.builder().put(Put.builder().tableName(table)
                    .item(deliveryItem(delivery)).build()).build());
        };
    }

    private List<TransactWriteItem> countItems(CountOutcome count) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", n(1));
        StringBuilder add = new StringBuilder("ADD #outcome :one");
        if (count.latencyMs() != null) {
            add.append(", latencySumMs :latency, latencyCount :one");
            values.put(":latency", n(count.latencyMs()));
        }
        Update minute = Update.builder().tableName(table)
                .key(Map.of("PK", s("STATS#" + count.jobType()), "SK", s("MINUTE#" + count.minute())))
                .updateExpression(add.toString())
                .expressionAttributeNames(Map.of("#outcome", count.outcome()))
                .expressionAttributeValues(values)
                .build();
        Update types = Update.builder().tableName(table)
                .key(Map.of("PK", s("STATS"), "SK", s("TYPES")))
                .updateExpression("ADD jobTypes :type")
                .expressionAttributeValues(Map.of(":type", AttributeValue.fromSs(List.of(count.jobType()))))
                .build();
        return List.of(TransactWriteItem.builder().update(minute).build(), TransactWriteItem.builder().update(types).build());
    }

    private static Map<String, AttributeValue> deliveryItem(RecordDelivery d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("PK", s("JOB#" + d.jobId()));
        item.put("SK", s("DELIVERY#" + d.eventId() + "#" + d.attempt()));
        item.put("eventId", s(d.eventId()));
        item.put("detailType", s(d.detailType()));
        item.put("target", s(d.target()));
        item.put("result", s(d.result()));
        item.put("status", n(d.status()));
        item.put("attempt", n(d.attempt()));
        item.put("at", s(d.at()));
        return item;
    }
}
