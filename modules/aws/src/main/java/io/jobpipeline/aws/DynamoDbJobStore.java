package io.jobpipeline.aws;

import static io.jobpipeline.aws.JobItems.n;
import static io.jobpipeline.aws.JobItems.s;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.job.TimelineEntry;
import io.jobpipeline.core.port.EntityStore;
import io.jobpipeline.core.port.EntityWrite;
import io.jobpipeline.core.port.JobStore;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Jobs and the entities their handlers write, in the one table; every transition is a conditional write. */
public final class DynamoDbJobStore implements JobStore, EntityStore {
    private static final String OWNED_ATTEMPT = "#status = :running AND attempts = :attempt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbJobStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(Job job) throws StoreUnavailable {
        try {
            dynamo.putItem(b -> b.tableName(table).item(JobItems.toItem(job)).conditionExpression("attribute_not_exists(PK)"));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("job id " + job.id() + " is taken", e);
        } catch (SdkException e) {
            throw AwsFaults.unavailable("storing job " + job.id(), e);
        }
    }

    @Override
    public Optional<Job> find(JobId id) throws StoreUnavailable {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(JobItems.key(id)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(JobItems.fromItem(item));
        } catch (SdkException e) {
            throw AwsFaults.unavailable("reading job " + id, e);
        }
    }

    @Override
    public void delete(JobId id) throws StoreUnavailable {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(JobItems.key(id)));
        } catch (SdkException e) {
            throw AwsFaults.unavailable("deleting job " + id, e);
        }
    }

    @Override
    public Job startAttempt(JobId id, int attempt, Instant now, Instant leaseUntil) throws StaleTransition, StoreUnavailable {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":running", s(JobStatus.RUNNING.name()));
        values.put(":completed", s(JobStatus.COMPLETED.name()));
        values.put(":attempt", n(attempt));
        values.put(":previous", n(attempt - 1L));
        values.put(":now", s(now.toString()));
        values.put(":nowEpochMs", n(now.toEpochMilli()));
        values.put(":leaseUntil", n(leaseUntil.toEpochMilli()));
        values.put(":entry", AttributeValue.fromL(List.of(JobItems.entry(new TimelineEntry(now, "ATTEMPT_STARTED", attempt, null)))));
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(JobItems.key(id))
                    .updateExpression("SET #status = :running, attempts = :attempt, leaseUntil = :leaseUntil, updatedAt = :now, "
                            + "timeline = list_append(timeline, :entry)")
                    // A RUNNING job is taken over only once its attempt's lease ran out (the invocation died).
                    .conditionExpression("attribute_exists(PK) AND #status <> :completed AND attempts = :previous "
                            + "AND (#status <> :running OR attribute_not_exists(leaseUntil) OR leaseUntil < :nowEpochMs)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .build()).attributes();
            return JobItems.fromItem(item);
        } catch (ConditionalCheckFailedException e) {
            throw new StaleTransition("job " + id + " is completed, leased to a running attempt, or attempt " + attempt + " was started");
        } catch (SdkException e) {
            throw AwsFaults.unavailable("starting attempt " + attempt + " of job " + id, e);
        }
    }

    @Override
    public void complete(Job job, JsonNode result, List<EntityWrite> writes, JobEvent event, Instant now)
            throws StaleTransition, StoreUnavailable {
        Map<String, AttributeValue> values = ownedAttempt(job);
        values.put(":completed", s(JobStatus.COMPLETED.name()));
        values.put(":result", s(Json.write(result)));
        values.put(":now", s(now.toString()));
        values.put(":event", JobItems.event(event));
        values.put(":entry", AttributeValue.fromL(List.of(JobItems.entry(new TimelineEntry(now, "COMPLETED", job.attempts(), null)))));
        Update update = Update.builder().tableName(table).key(JobItems.key(job.id()))
                .updateExpression("SET #status = :completed, #result = :result, completedAt = :now, updatedAt = :now, "
                        + "lastEvent = :event, timeline = list_append(timeline, :entry) REMOVE lastError")
                .conditionExpression(OWNED_ATTEMPT)
                .expressionAttributeNames(Map.of("#status", "status", "#result", "result"))
                .expressionAttributeValues(values)
                .build();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(update).build());
        for (EntityWrite w : writes) {
            Map<String, AttributeValue> item = new HashMap<>(JobItems.entityKey(w.kind(), w.id()));
            item.put("data", s(Json.write(w.value())));
            item.put("writtenBy", s(job.id().value()));
            item.put("updatedAt", s(now.toString()));
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build());
        }
        try {
            // One item needs no transaction: a conditional update is atomic on its own and costs half.
            if (items.size() == 1) {
                dynamo.updateItem(b -> b.tableName(table).key(update.key()).updateExpression(update.updateExpression())
                        .conditionExpression(update.conditionExpression())
                        .expressionAttributeNames(update.expressionAttributeNames())
                        .expressionAttributeValues(update.expressionAttributeValues()));
            } else {
                dynamo.transactWriteItems(b -> b.transactItems(items));
            }
        } catch (ConditionalCheckFailedException e) {
            throw new StaleTransition("job " + job.id() + " attempt " + job.attempts() + " no longer owns the job");
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                throw new StaleTransition("job " + job.id() + " attempt " + job.attempts() + " no longer owns the job");
            }
            throw AwsFaults.unavailable("completing job " + job.id(), e);
        } catch (SdkException e) {
            throw AwsFaults.unavailable("completing job " + job.id(), e);
        }
    }

    @Override
    public void fail(Job job, JobStatus status, String error, JobEvent event, Instant now) throws StaleTransition, StoreUnavailable {
        Map<String, AttributeValue> values = ownedAttempt(job);
        values.put(":status", s(status.name()));
        values.put(":error", s(error == null ? "unknown error" : error));
        values.put(":now", s(now.toString()));
        values.put(":event", JobItems.event(event));
        values.put(":entry", AttributeValue.fromL(List.of(JobItems.entry(new TimelineEntry(now, status.name(), job.attempts(), error)))));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(JobItems.key(job.id()))
                    .updateExpression("SET #status = :status, lastError = :error, updatedAt = :now, lastEvent = :event, "
                            + "timeline = list_append(timeline, :entry)")
                    .conditionExpression(OWNED_ATTEMPT)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new StaleTransition("job " + job.id() + " attempt " + job.attempts() + " no longer owns the job");
        } catch (SdkException e) {
            throw AwsFaults.unavailable("recording the failure of job " + job.id(), e);
        }
    }

    @Override
    public Optional<JsonNode> find(String kind, String id) throws StoreUnavailable {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(JobItems.entityKey(kind, id)).consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Json.tree(item.get("data").s()));
        } catch (SdkException e) {
            throw AwsFaults.unavailable("reading " + kind + " " + id, e);
        }
    }

    private static Map<String, AttributeValue> ownedAttempt(Job job) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":running", s(JobStatus.RUNNING.name()));
        values.put(":attempt", n(job.attempts()));
        return values;
    }
}
