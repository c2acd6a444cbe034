package io.jobpipeline.aws;

import static io.jobpipeline.aws.JobItems.n;
import static io.jobpipeline.aws.JobItems.s;

import io.jobpipeline.core.port.ConsumerLedger;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.stats.JobTypeStats;
import io.jobpipeline.core.stats.LatencyHistogram;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Idempotent consumers (Powertools' idempotency idea, kept small): the ledger entry {@code CONSUMED#<consumer>#<eventId>}
 * is written conditionally in the same transaction as the consumer's effect, so the effect happens once per event.
 *
 * <p>Ledger entries expire (TTL) after {@value #KEEP_DAYS} days, longer than the bus archive keeps events
 * ({@code JobsEventArchive}'s RetentionDays in template.yaml): any event a replay can send again still finds its entry.
 * Analytics items: {@code STATS#<type>} / {@code MINUTE#<minute>} with the outcome counters, and for completions
 * {@code MINUTE#<minute>#L<g>} with {@code completed}, {@code latencySumMs} and the {@code lat_b<k>} counters of one
 * slice of the latency buckets (see {@link #minuteSlice}), all incremented with ADD; a minute is the sum of its items.
 * {@code STATS} / {@code TYPES} lists the job types. Notifications items: {@code JOB#<jobId>} / {@code DELIVERY#<eventId>#<n>}, one per attempt.
 */
public final class DynamoDbConsumerLedger implements ConsumerLedger {
    static final int KEEP_DAYS = 30;
    private static final Duration KEEP = Duration.ofDays(KEEP_DAYS);
    private static final int FREE_NUMBER_TRIES = 20;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Set<String> listedTypes = ConcurrentHashMap.newKeySet();

    public DynamoDbConsumerLedger(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean applyOnce(String consumer, String eventId, LedgerEffect effect) throws StoreUnavailable {
        // A delivery record's number may be taken by a concurrent duplicate's failed try: move to the next one.
        LedgerEffect current = effect;
        if (effect instanceof CountOutcome count) {
            listType(count.jobType());
        }
        for (int i = 0; i < FREE_NUMBER_TRIES; i++) {
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(ledgerEntry(consumer, eventId))
                    .conditionExpression("attribute_not_exists(PK)").build()).build());
            items.addAll(effectItems(current));
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                return true;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (conditionFailed(reasons, 0)) {
                    return false;
                }
                if (current instanceof RecordDelivery d && conditionFailed(reasons, 1)) {
                    current = withAttempt(d, d.attempt() + 1);
                    continue;
                }
                throw AwsFaults.unavailable(consumer + " applying event " + eventId, e);
            } catch (SdkException e) {
                throw AwsFaults.unavailable(consumer + " applying event " + eventId, e);
            }
        }
        throw new IllegalStateException("no free delivery number for event " + eventId + " after " + FREE_NUMBER_TRIES + " tries");
    }

    @Override
    public boolean applied(String consumer, String eventId) throws StoreUnavailable {
        try {
            return dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("PK", s("CONSUMED#" + consumer + "#" + eventId), "SK", s("EVENT")))).hasItem();
        } catch (SdkException e) {
            throw AwsFaults.unavailable(consumer + " looking up event " + eventId, e);
        }
    }

    @Override
    public int recordAttempt(RecordDelivery attempt) throws StoreUnavailable {
        RecordDelivery current = attempt;
        for (int i = 0; i < FREE_NUMBER_TRIES; i++) {
            Map<String, AttributeValue> item = deliveryItem(current);
            try {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"));
                return current.attempt();
            } catch (ConditionalCheckFailedException e) {
                current = withAttempt(current, current.attempt() + 1);
            } catch (SdkException e) {
                throw AwsFaults.unavailable("recording delivery of event " + attempt.eventId(), e);
            }
        }
        throw new IllegalStateException("no free delivery number for event " + attempt.eventId() + " after " + FREE_NUMBER_TRIES + " tries");
    }

    @Override
    public int deliveryAttempts(String jobId, String eventId) throws StoreUnavailable {
        try {
            int count = 0;
            var pages = dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true).select(Select.COUNT)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s("JOB#" + jobId), ":prefix", s("DELIVERY#" + eventId + "#"))));
            for (var page : pages) {
                count += page.count();
            }
            return count;
        } catch (SdkException e) {
            throw AwsFaults.unavailable("counting deliveries of event " + eventId, e);
        }
    }

    /**
     * What a consumer did with one event of a job: {@code APPLIED} (its ledger entry: the effect happened, once), or
     * one webhook delivery attempt of the notifications ({@code DELIVERED}, {@code HTTP_503}, ...).
     */
    public record Receipt(String consumer, String eventId, String outcome, String at, Integer attempt, Integer status,
                          String detail) {}

    /** At most this many rounds for the keys BatchGetItem leaves unprocessed (throttling); the view is best effort. */
    private static final int BATCH_GET_ROUNDS = 3;

    /**
     * Every receipt of {@code eventIds} of job {@code jobId} by {@code consumers}, without a scan: the ledger entries
     * are looked up by key (the event ids are known from the job record) in one BatchGetItem, and the notifications'
     * delivery attempts are the job's own item collection ({@code JOB#<jobId>}, {@code DELIVERY#...}), one Query.
     */
    public List<Receipt> receipts(String jobId, List<String> eventIds, List<String> consumers) throws StoreUnavailable {
        List<Receipt> receipts = new ArrayList<>();
        try {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String eventId : eventIds) {
                for (String consumer : consumers) {
                    keys.add(Map.of("PK", s("CONSUMED#" + consumer + "#" + eventId), "SK", s("EVENT")));
                }
            }
            for (int from = 0; from < keys.size(); from += 100) {
                List<Map<String, AttributeValue>> pending = keys.subList(from, Math.min(keys.size(), from + 100));
                for (int round = 0; round < BATCH_GET_ROUNDS && !pending.isEmpty(); round++) {
                    var request = KeysAndAttributes.builder().keys(pending).build();
                    var response = dynamo.batchGetItem(b -> b.requestItems(Map.of(table, request)));
                    for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                        String[] pk = item.get("PK").s().split("#", 3);
                        receipts.add(new Receipt(pk[1], pk[2], "APPLIED", str(item, "consumedAt"), null, null, null));
                    }
                    KeysAndAttributes left = response.unprocessedKeys().get(table);
                    pending = left == null ? List.of() : left.keys();
                }
            }
            var pages = dynamo.queryPaginator(b -> b.tableName(table)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s("JOB#" + jobId), ":prefix", s("DELIVERY#"))));
            for (var item : pages.items()) {
                receipts.add(new Receipt("notifications", str(item, "eventId"), str(item, "outcome"), str(item, "at"),
                        num(item, "attempt"), num(item, "status"), str(item, "detail")));
            }
        } catch (SdkException e) {
            throw AwsFaults.unavailable("reading the consumers' receipts of job " + jobId, e);
        }
        return receipts;
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Integer num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Integer.valueOf(v.n());
    }

    private Map<String, AttributeValue> ledgerEntry(String consumer, String eventId) {
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put("PK", s("CONSUMED#" + consumer + "#" + eventId));
        entry.put("SK", s("EVENT"));
        entry.put("consumedAt", s(clock.instant().toString()));
        entry.put("expiresAt", n(clock.instant().plus(KEEP).getEpochSecond()));
        return entry;
    }

    private static boolean conditionFailed(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private List<TransactWriteItem> effectItems(LedgerEffect effect) {
        return switch (effect) {
            case CountOutcome count -> countItems(count);
            case RecordDelivery delivery -> List.of(TransactWriteItem.builder().put(Put.builder().tableName(table)
                    .item(deliveryItem(delivery)).conditionExpression("attribute_not_exists(PK)").build()).build());
        };
    }

    private List<TransactWriteItem> countItems(CountOutcome count) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#outcome", count.outcome());
        values.put(":one", n(1));
        StringBuilder add = new StringBuilder("ADD #outcome :one");
        String sk = "MINUTE#" + count.minute();
        if (count.latencyMs() != null) {
            long latency = Math.max(0, count.latencyMs());
            int bucket = LatencyHistogram.bucketOf(latency);
            add.append(", #latencySum :latency, #bucket :one");
            names.put("#latencySum", JobTypeStats.LATENCY_SUM_MS);
            names.put("#bucket", LatencyHistogram.attributeOf(bucket));
            values.put(":latency", n(latency));
            sk = minuteSlice(count.minute(), bucket);
        }
        Update minute = Update.builder().tableName(table)
                .key(Map.of("PK", s("STATS#" + count.jobType()), "SK", s(sk)))
                .updateExpression(add.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
        return List.of(TransactWriteItem.builder().update(minute).build());
    }

    /**
     * The item of a minute that holds {@code bucket}'s counter: {@code MINUTE#<minute>#L<g>}, {@value #BUCKETS_PER_SLICE}
     * buckets to a slice. A write is billed per KB of the whole item, and a minute's full histogram runs to several KB;
     * a slice stays under 1 KB, so every count costs one unit (twice that in its transaction).
     */
    static String minuteSlice(String minute, int bucket) {
        return "MINUTE#" + minute + "#L" + (bucket / BUCKETS_PER_SLICE);
    }

    static final int BUCKETS_PER_SLICE = 32;

    /**
     * Lists the job type in {@code STATS} / {@code TYPES}, once per container and type: ADD to a set is idempotent, so
     * it needs no place in the transaction (where it cost two more units per event).
     */
    private void listType(String jobType) throws StoreUnavailable {
        if (listedTypes.contains(jobType)) {
            return;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("PK", s("STATS"), "SK", s("TYPES")))
                    .updateExpression("ADD jobTypes :type")
                    .expressionAttributeValues(Map.of(":type", AttributeValue.fromSs(List.of(jobType)))));
            listedTypes.add(jobType);
        } catch (SdkException e) {
            throw AwsFaults.unavailable("listing job type " + jobType, e);
        }
    }

    private static Map<String, AttributeValue> deliveryItem(RecordDelivery d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("PK", s("JOB#" + d.jobId()));
        item.put("SK", s("DELIVERY#" + d.eventId() + "#" + d.attempt()));
        item.put("eventId", s(d.eventId()));
        item.put("detailType", s(d.detailType()));
        item.put("url", s(d.url()));
        item.put("outcome", s(d.outcome()));
        item.put("status", n(d.status()));
        item.put("attempt", n(d.attempt()));
        item.put("at", s(d.at()));
        if (d.detail() != null && !d.detail().isBlank()) {
            item.put("detail", s(d.detail().length() > 1000 ? d.detail().substring(0, 1000) : d.detail()));
        }
        if (d.replayName() != null) {
            item.put("replayName", s(d.replayName()));
        }
        return item;
    }

    private static RecordDelivery withAttempt(RecordDelivery d, int attempt) {
        return new RecordDelivery(d.jobId(), d.eventId(), d.detailType(), d.url(), d.outcome(), d.status(), d.detail(),
                attempt, d.at(), d.replayName());
    }
}
