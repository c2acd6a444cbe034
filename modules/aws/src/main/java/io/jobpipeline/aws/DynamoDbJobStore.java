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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Jobs and the entities their handlers write, in the one table; every transition is a conditional write. Calls go
 * through an {@link AwsRetry}: throttling, 5xx and connection errors are retried with backoff until the deadline of
 * {@link #until(Instant)}; a failed condition never is. A conditional write retried after an answer got lost may find
 * its own first try applied: startAttempt recognises its own lease by a token, fail() re-reads the job, complete()
 * sends a ClientRequestToken with its transaction (and a lost race there ends as "COMPLETED", which is the truth).
 */
public final class DynamoDbJobStore implements JobStore, EntityStore {
    private static final String OWNED_ATTEMPT = "#status = :running AND attempts = :attempt";

    private final DynamoDbClient dynamo;
    private final String table;
    private final AwsRetry retry;

    /** Each call tried once: for clients whose SDK retry strategy retries (the intake's). */
    public DynamoDbJobStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, AwsRetry.sdkRetriesOnly());
    }

    /** Calls retried by {@code retry}; give it a client that does not retry by itself. */
    public DynamoDbJobStore(DynamoDbClient dynamo, String table, AwsRetry retry) {
        this.dynamo = dynamo;
        this.table = table;
        this.retry = retry;
    }

    /** This store for one invocation: retries stop in time for {@code deadline}. */
    public DynamoDbJobStore until(Instant deadline) {
        return new DynamoDbJobStore(dynamo, table, retry.until(deadline));
    }

    @Override
    public void create(Job job) throws StoreUnavailable {
        try {
            retry.call("storing job " + job.id(), o -> dynamo.putItem(b -> b.tableName(table).item(JobItems.toItem(job))
                    .conditionExpression("attribute_not_exists(PK)").overrideConfiguration(o)));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("job id " + job.id() + " is taken", e);
        } catch (SdkException e) {
            throw AwsFaults.unavailable("storing job " + job.id(), e);
        }
    }

    @Override
    public Optional<Job> find(JobId id) throws StoreUnavailable {
        try {
            Map<String, AttributeValue> item = rawJob(id);
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(JobItems.fromItem(item));
        } catch (SdkException e) {
            throw AwsFaults.unavailable("reading job " + id, e);
        }
    }

    /** One page of a producer's jobs, newest first; {@code lastKey} is null on the last page. */
    public record JobPage(List<Job> jobs, Map<String, String> lastKey) {}

    /** At most this many index queries per page: a rare status filter must not hold a page past the API's timeout. */
    private static final int MAX_QUERIES_PER_PAGE = 10;

    /**
     * Up to {@code limit} of {@code producer}'s jobs through the {@code ByProducer} index, newest first, from
     * {@code startKey} (a previous page's {@code lastKey}) on, only those in {@code status} when it is given. A filtered
     * page may hold fewer than {@code limit} jobs and still have a {@code lastKey}: keep reading until it is null.
     */
    public JobPage listByProducer(String producer, JobStatus status, int limit, Map<String, String> startKey)
            throws StoreUnavailable {
        List<Job> found = new ArrayList<>();
        Map<String, AttributeValue> next = startKey == null ? null : toAttributes(startKey);
        try {
            for (int query = 0; query < MAX_QUERIES_PER_PAGE && found.size() < limit; query++) {
                Map<String, AttributeValue> values = new HashMap<>();
                values.put(":p", s("PRODUCER#" + producer));
                Map<String, String> names = new HashMap<>();
                var request = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder().tableName(table)
                        .indexName("ByProducer").keyConditionExpression("GSI1PK = :p").scanIndexForward(false)
                        .limit(limit - found.size()).exclusiveStartKey(next);
                if (status != null) {
                    values.put(":status", s(status.name()));
                    names.put("#status", "status");
                    request.filterExpression("#status = :status").expressionAttributeNames(names);
                }
                request.expressionAttributeValues(values);
                var response = retry.call("listing jobs of " + producer,
                        o -> dynamo.query(request.overrideConfiguration(o).build()));
                response.items().stream().map(JobItems::fromItem).forEach(found::add);
                next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
                if (next == null) {
                    break;
                }
            }
        } catch (SdkException e) {
            throw AwsFaults.unavailable("listing jobs of " + producer, e);
        }
        Map<String, String> lastKey = null;
        if (next != null) {
            lastKey = new java.util.TreeMap<>();
            for (var e : next.entrySet()) {
                lastKey.put(e.getKey(), e.getValue().s());
            }
        }
        return new JobPage(found, lastKey);
    }

    private static Map<String, AttributeValue> toAttributes(Map<String, String> key) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        key.forEach((k, v) -> attributes.put(k, s(v)));
        return attributes;
    }

    @Override
    public void delete(JobId id) throws StoreUnavailable {
        try {
            retry.call("deleting job " + id, o -> dynamo.deleteItem(b -> b.tableName(table).key(JobItems.key(id)).overrideConfiguration(o)));
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
        // Names this very call, so a retry that finds its own first try applied knows the lease is its own.
        String owner = UUID.randomUUID().toString();
        values.put(":owner", s(owner));
        AtomicInteger tries = new AtomicInteger();
        try {
            Map<String, AttributeValue> item = retry.call("starting attempt " + attempt + " of job " + id, o -> {
                tries.incrementAndGet();
                return dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(JobItems.key(id))
                        .updateExpression("SET #status = :running, attempts = :attempt, leaseUntil = :leaseUntil, "
                                + "leaseOwner = :owner, updatedAt = :now, timeline = list_append(timeline, :entry)")
                        // A RUNNING job is taken over only once its attempt's lease ran out (the invocation died).
                        .conditionExpression("attribute_exists(PK) AND #status <> :completed AND attempts = :previous "
                                + "AND (#status <> :running OR attribute_not_exists(leaseUntil) OR leaseUntil < :nowEpochMs)")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)
                        .overrideConfiguration(o)
                        .build()).attributes();
            });
            return JobItems.fromItem(item);
        } catch (ConditionalCheckFailedException e) {
            if (tries.get() > 1) {
                Map<String, AttributeValue> current = rawJobOrNull(id);
                if (current != null && current.containsKey("leaseOwner") && owner.equals(current.get("leaseOwner").s())) {
                    return JobItems.fromItem(current); // an earlier try of this call went through; its answer got lost
                }
            }
            throw new StaleTransition("job " + id + " is completed, leased to a running attempt, or attempt " + attempt + " was started");
        } catch (SdkException e) {
            throw AwsFaults.unavailable("starting attempt " + attempt + " of job " + id, e);
        }
    }

    @Override
    public void complete(Job job, JsonNode result, List<EntityWrite> writes, JobEvent event, Instant now)
            throws StaleTransition, OutcomeTooLarge, StoreUnavailable {
        Map<String, AttributeValue> values = ownedAttempt(job);
        values.put(":completed", s(JobStatus.COMPLETED.name()));
        String resultJson = Json.write(result);
        values.put(":result", s(resultJson));
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
        String what = "completing job " + job.id();
        try {
            // One item needs no transaction: a conditional update is atomic on its own and costs half.
            if (items.size() == 1) {
                retry.call(what, o -> dynamo.updateItem(b -> b.tableName(table).key(update.key())
                        .updateExpression(update.updateExpression())
                        .conditionExpression(update.conditionExpression())
                        .expressionAttributeNames(update.expressionAttributeNames())
                        .expressionAttributeValues(update.expressionAttributeValues())
                        .overrideConfiguration(o)));
            } else {
                // The same token on every try makes a retry of a transaction that went through a no-op (10 minutes).
                String token = UUID.randomUUID().toString();
                retry.call(what, o -> dynamo.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token)
                        .overrideConfiguration(o)));
            }
        } catch (ConditionalCheckFailedException e) {
            throw new StaleTransition("job " + job.id() + " attempt " + job.attempts() + " no longer owns the job");
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                throw new StaleTransition("job " + job.id() + " attempt " + job.attempts() + " no longer owns the job");
            }
            for (CancellationReason reason : e.cancellationReasons()) {
                if ("ValidationError".equals(reason.code()) && isItemSizeError(reason.message())) {
                    throw tooLarge(resultJson, writes, reason.message(), e);
                }
            }
            throw AwsFaults.unavailable("completing job " + job.id(), e);
        } catch (DynamoDbException e) {
            if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())
                    && isItemSizeError(e.awsErrorDetails().errorMessage())) {
                throw tooLarge(resultJson, writes, e.awsErrorDetails().errorMessage(), e);
            }
            throw AwsFaults.unavailable("completing job " + job.id(), e);
        } catch (SdkException e) {
            throw AwsFaults.unavailable("completing job " + job.id(), e);
        }
    }

    /**
     * DynamoDB's words for an item over 400 KB: "Item size has exceeded the maximum allowed size" (put), "Item size to
     * update has ..." (update), "ExpressionAttributeValues contains invalid value: Item size has ... for key :x" (a value).
     */
    private static boolean isItemSizeError(String message) {
        return message != null && message.contains("Item size") && message.contains("exceeded the maximum allowed size");
    }

    private static OutcomeTooLarge tooLarge(String resultJson, List<EntityWrite> writes, String dynamoMessage, Exception cause) {
        int largestWrite = writes.stream().mapToInt(w -> utf8Length(Json.write(w.value()))).max().orElse(0);
        return new OutcomeTooLarge("the outcome is too large to store (result " + utf8Length(resultJson) + " bytes"
                + (writes.isEmpty() ? "" : ", largest entity write " + largestWrite + " bytes")
                + "; DynamoDB holds at most 400 KB per item): " + dynamoMessage, cause);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void fail(Job job, JobStatus status, String error, JobEvent event, Instant now) throws StaleTransition, StoreUnavailable {
        Map<String, AttributeValue> values = ownedAttempt(job);
        values.put(":status", s(status.name()));
        values.put(":error", s(error == null ? "unknown error" : error));
        values.put(":now", s(now.toString()));
        values.put(":event", JobItems.event(event));
        values.put(":entry", AttributeValue.fromL(List.of(JobItems.entry(new TimelineEntry(now, status.name(), job.attempts(), error)))));
        AtomicInteger tries = new AtomicInteger();
        try {
            retry.call("recording the failure of job " + job.id(), o -> {
                tries.incrementAndGet();
                return dynamo.updateItem(b -> b.tableName(table).key(JobItems.key(job.id()))
                        .updateExpression("SET #status = :status, lastError = :error, updatedAt = :now, lastEvent = :event, "
                                + "timeline = list_append(timeline, :entry)")
                        .conditionExpression(OWNED_ATTEMPT)
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(values)
                        .overrideConfiguration(o));
            });
        } catch (ConditionalCheckFailedException e) {
            if (tries.get() > 1 && wroteThisFailure(job, status, event)) {
                return; // an earlier try of this call went through; its answer got lost
            }
            throw new StaleTransition("job " + job.id() + " attempt " + job.attempts() + " no longer owns the job");
        } catch (SdkException e) {
            throw AwsFaults.unavailable("recording the failure of job " + job.id(), e);
        }
    }

    @Override
    public Optional<JsonNode> find(String kind, String id) throws StoreUnavailable {
        try {
            Map<String, AttributeValue> item = retry.call("reading " + kind + " " + id, o -> dynamo.getItem(b -> b.tableName(table)
                    .key(JobItems.entityKey(kind, id)).consistentRead(true).overrideConfiguration(o))).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Json.tree(item.get("data").s()));
        } catch (SdkException e) {
            throw AwsFaults.unavailable("reading " + kind + " " + id, e);
        }
    }

    private Map<String, AttributeValue> rawJob(JobId id) {
        return retry.call("reading job " + id, o -> dynamo.getItem(b -> b.tableName(table).key(JobItems.key(id)).consistentRead(true)
                .overrideConfiguration(o))).item();
    }

    /** The job's item, or null if it cannot be read right now (the caller falls back on what it knew). */
    private Map<String, AttributeValue> rawJobOrNull(JobId id) {
        try {
            Map<String, AttributeValue> item = rawJob(id);
            return item == null || item.isEmpty() ? null : item;
        } catch (SdkException e) {
            return null;
        }
    }

    private boolean wroteThisFailure(Job job, JobStatus status, JobEvent event) {
        Map<String, AttributeValue> item = rawJobOrNull(job.id());
        if (item == null) {
            return false;
        }
        Job now = JobItems.fromItem(item);
        return now.status() == status && now.attempts() == job.attempts() && now.lastEvent() != null
                && now.lastEvent().eventId().equals(event.eventId());
    }

    private static Map<String, AttributeValue> ownedAttempt(Job job) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":running", s(JobStatus.RUNNING.name()));
        values.put(":attempt", n(job.attempts()));
        return values;
    }
}
