package io.jobpipeline.aws;

import static io.jobpipeline.aws.JobItems.n;
import static io.jobpipeline.aws.JobItems.s;

import io.jobpipeline.core.intake.IdempotencyRecord;
import io.jobpipeline.core.intake.IdempotencyRecord.Status;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.port.IdempotencyStore;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency keys in the jobs table: {@code PK=IDEMPOTENCY#<producer>#<key>, SK=IDEMPOTENCY}, with the body's hash,
 * the job id, the status, {@code leaseUntil} (epoch ms) and {@code expiresAt} (epoch s, the table's TTL attribute).
 * {@code #} and {@code %} in the producer are percent-encoded, so no producer's keys can reach into another's.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbIdempotencyStore.class);
    private static final String SORT = "IDEMPOTENCY";
    /** A key deleted between a refused claim and the read of its holder is claimed again, this many times at most. */
    private static final int CLAIM_TRIES = 5;
    private static final Map<String, String> NAMES = Map.of("#status", "status");

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<IdempotencyRecord> claim(IdempotencyRecord record, Instant now) throws StoreUnavailable {
        for (int i = 0; i < CLAIM_TRIES; i++) {
            try {
                dynamo.putItem(b -> b.tableName(table).item(item(record))
                        // An expired key is free even before the TTL sweep (which may lag by days) removes it.
                        .conditionExpression("attribute_not_exists(PK) OR expiresAt < :now")
                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                return Optional.empty();
            } catch (ConditionalCheckFailedException taken) {
                Optional<IdempotencyRecord> holder = taken.hasItem() && !taken.item().isEmpty()
                        ? Optional.of(fromItem(taken.item())) : find(record.producer(), record.key());
                if (holder.isPresent()) {
                    return holder;
                }
            } catch (SdkException e) {
                throw AwsFaults.unavailable("claiming an Idempotency-Key", e);
            }
        }
        throw new StoreUnavailable("the Idempotency-Key kept changing while it was claimed", null);
    }

    @Override
    public boolean takeOver(IdempotencyRecord stale, Instant leaseUntil) throws StoreUnavailable {
        Map<String, AttributeValue> values = owned(stale);
        values.put(":old", n(stale.leaseUntil().toEpochMilli()));
        values.put(":new", n(leaseUntil.toEpochMilli()));
        return update(stale, "SET leaseUntil = :new", "#status = :inProgress AND jobId = :job AND leaseUntil = :old", values, "taking over");
    }

    @Override
    public void complete(IdempotencyRecord record) throws StoreUnavailable {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":job", s(record.jobId().value()));
        values.put(":completed", s(Status.COMPLETED.name()));
        update(record, "SET #status = :completed REMOVE leaseUntil", "jobId = :job", values, "completing");
    }

    @Override
    public void letGo(IdempotencyRecord record) throws StoreUnavailable {
        Map<String, AttributeValue> values = owned(record);
        values.put(":ended", n(0));
        update(record, "SET leaseUntil = :ended", "#status = :inProgress AND jobId = :job", values, "releasing");
    }

    @Override
    public void forget(IdempotencyRecord record) throws StoreUnavailable {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(record.producer(), record.key()))
                    .conditionExpression("#status = :inProgress AND jobId = :job")
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(owned(record)));
        } catch (ConditionalCheckFailedException someoneElses) {
            LOG.debug("Idempotency-Key of job {} changed hands before it was deleted", record.jobId());
        } catch (SdkException e) {
            throw AwsFaults.unavailable("deleting an Idempotency-Key", e);
        }
    }

    @Override
    public Optional<IdempotencyRecord> find(String producer, String key) throws StoreUnavailable {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(producer, key)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
        } catch (SdkException e) {
            throw AwsFaults.unavailable("reading an Idempotency-Key", e);
        }
    }

    private boolean update(IdempotencyRecord record, String expression, String condition, Map<String, AttributeValue> values,
                           String what) throws StoreUnavailable {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(record.producer(), record.key()))
                    .updateExpression(expression).conditionExpression(condition)
                    .expressionAttributeNames(NAMES).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException someoneElses) {
            LOG.debug("Idempotency-Key of job {} changed hands before {}", record.jobId(), what);
            return false;
        } catch (SdkException e) {
            throw AwsFaults.unavailable(what + " an Idempotency-Key", e);
        }
    }

    private static Map<String, AttributeValue> owned(IdempotencyRecord record) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":job", s(record.jobId().value()));
        values.put(":inProgress", s(Status.IN_PROGRESS.name()));
        return values;
    }

    static Map<String, AttributeValue> key(String producer, String key) {
        String safeProducer = producer.replace("%", "%25").replace("#", "%23");
        return Map.of(JobItems.PK, s("IDEMPOTENCY#" + safeProducer + "#" + key), JobItems.SK, s(SORT));
    }

    private static Map<String, AttributeValue> item(IdempotencyRecord r) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.producer(), r.key()));
        item.put("producer", s(r.producer()));
        item.put("idempotencyKey", s(r.key()));
        item.put("bodyHash", s(r.bodyHash()));
        item.put("jobId", s(r.jobId().value()));
        item.put("status", s(r.status().name()));
        item.put("leaseUntil", n(r.leaseUntil().toEpochMilli()));
        item.put("expiresAt", n(r.expiresAt().getEpochSecond()));
        return item;
    }

    private static IdempotencyRecord fromItem(Map<String, AttributeValue> item) {
        AttributeValue lease = item.get("leaseUntil");
        return new IdempotencyRecord(item.get("producer").s(), item.get("idempotencyKey").s(), item.get("bodyHash").s(),
                new JobId(item.get("jobId").s()), Status.valueOf(item.get("status").s()),
                lease == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(lease.n())),
                Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())));
    }
}
