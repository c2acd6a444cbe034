package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.handler.JobContext;
import io.jobpipeline.core.handler.JobHandler;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.work.JobProcessor;
import io.jobpipeline.core.work.Outcome;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.template.StackTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** DynamoDB on the stack's JobsTable, with items of the test's own ({@code PK = PARITY#<uuid>}). */
class DynamoDbParityTest {
    /** DynamoDB's item limit: 400 KB, counting attribute names and values in UTF-8 bytes. */
    private static final int MAX_ITEM_BYTES = 409_600;

    private final ParityTarget target = ParityTarget.get();

    @Test
    void conditionalCheckFailureReturnsTheItemAsItWas() {
        Map<String, AttributeValue> key = key();
        Map<String, AttributeValue> first = item(key, "value", AttributeValue.fromS("first"));
        target.dynamo.putItem(b -> b.tableName(target.table()).item(first).conditionExpression("attribute_not_exists(PK)"));

        Map<String, AttributeValue> second = item(key, "value", AttributeValue.fromS("second"));
        assertThatThrownBy(() -> target.dynamo.putItem(b -> b.tableName(target.table()).item(second)
                .conditionExpression("attribute_not_exists(PK)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.item()).isEqualTo(first);
                });
        assertThat(read(key).get("value").s()).as("the refused write changed nothing").isEqualTo("first");
    }

    @Test
    void transactionCancellationGivesAReasonPerItem() {
        Map<String, AttributeValue> taken = key();
        Map<String, AttributeValue> existing = item(taken, "value", AttributeValue.fromS("there"));
        target.dynamo.putItem(b -> b.tableName(target.table()).item(existing));
        Map<String, AttributeValue> fresh = key();

        assertThatThrownBy(() -> target.dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(target.table()).item(item(fresh, "value", AttributeValue.fromS("new")))
                        .conditionExpression("attribute_not_exists(PK)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(target.table()).item(item(taken, "value", AttributeValue.fromS("over")))
                        .conditionExpression("attribute_not_exists(PK)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build())))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    // One reason per item, in the request's order: "None" for the item that would have passed.
                    assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
                            .containsExactly("None", "ConditionalCheckFailed");
                    assertThat(e.cancellationReasons().get(1).item()).isEqualTo(existing);
                });
        assertThat(target.dynamo.getItem(b -> b.tableName(target.table()).key(fresh).consistentRead(true)).hasItem())
                .as("nothing of a cancelled transaction is written").isFalse();
        assertThat(read(taken).get("value").s()).isEqualTo("there");
    }

    @Test
    void ttlAttributeOfTheTemplateIsEnabledAndKeptOnItems() throws Exception {
        String ttl = StackTemplate.load(SharedLocalStack.TEMPLATE).tables().get("JobsTable").ttlAttribute().orElseThrow();
        TimeToLiveDescription described = target.dynamo.describeTimeToLive(b -> b.tableName(target.table())).timeToLiveDescription();
        assertThat(described.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(described.attributeName()).isEqualTo(ttl);

        // An hour ahead: AWS deletes items some time after they expire, never before.
        String expiresAt = Long.toString(Instant.now().plusSeconds(3_600).getEpochSecond());
        Map<String, AttributeValue> key = key();
        target.dynamo.putItem(b -> b.tableName(target.table()).item(item(key, ttl, AttributeValue.fromN(expiresAt))));
        assertThat(read(key).get(ttl)).isEqualTo(AttributeValue.fromN(expiresAt));
    }

    @Test
    void itemOver400KBIsRefusedWithAValidationException() {
        Map<String, AttributeValue> key = key();
        int room = MAX_ITEM_BYTES - size(key) - "data".length();
        target.dynamo.putItem(b -> b.tableName(target.table()).item(item(key, "data", AttributeValue.fromS("x".repeat(room)))));
        assertThat(read(key).get("data").s()).hasSize(room);

        assertThatThrownBy(() -> target.dynamo.putItem(b -> b.tableName(target.table())
                .item(item(key(), "data", AttributeValue.fromS("x".repeat(room + 1))))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Item size has exceeded the maximum allowed size");
                });
        // Growing a stored item past the limit is refused as well, in UpdateItem's words.
        assertThatThrownBy(() -> target.dynamo.updateItem(b -> b.tableName(target.table()).key(key)
                .updateExpression("SET more = :more").expressionAttributeValues(Map.of(":more", AttributeValue.fromS("y")))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Item size to update has exceeded the maximum allowed size");
                });
    }

    @Test
    void jobStoreFailsAJobWhoseResultIsOver400KBWithAReadableError() {
        DynamoDbJobStore store = new DynamoDbJobStore(target.dynamo, target.table());
        JobProcessor processor = new JobProcessor(store, store, new JobHandlers(List.of(new OversizedResult())),
                Clock.systemUTC(), 2);
        Job job = Job.accepted(JobId.next(Clock.systemUTC()), new JobRequest(OversizedResult.TYPE, Json.tree("{}"), null, null),
                "parity-" + UUID.randomUUID(), Instant.now());
        try {
            store.create(job);
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        Outcome first = processor.process(job.message(), 1);
        assertThat(first.done()).isFalse();
        assertThat(first.backOff()).as("a result too large now is too large on every attempt").isFalse();
        Job failed = find(store, job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.lastError()).startsWith("the outcome is too large to store (result 450002 bytes")
                .contains("400 KB");

        // The last receive dead-letters it with the same error: no attempt is left RUNNING.
        assertThat(processor.process(job.message(), 2).done()).isFalse();
        Job dead = find(store, job.id());
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.lastError()).isEqualTo(failed.lastError());
    }

    /** A handler whose result (a 450,000-character string, 450,002 bytes as JSON) no DynamoDB item can hold. */
    private static final class OversizedResult implements JobHandler<JsonNode, String> {
        static final String TYPE = "parity.oversized-result";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Class<JsonNode> payloadType() {
            return JsonNode.class;
        }

        @Override
        public String handle(JsonNode payload, JobContext context) {
            return "r".repeat(450_000);
        }
    }

    private static Job find(DynamoDbJobStore store, JobId id) {
        try {
            return store.find(id).orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, AttributeValue> key() {
        return Map.of("PK", AttributeValue.fromS("PARITY#" + UUID.randomUUID()), "SK", AttributeValue.fromS("PARITY"));
    }

    private static Map<String, AttributeValue> item(Map<String, AttributeValue> key, String name, AttributeValue value) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(name, value);
        return item;
    }

    private Map<String, AttributeValue> read(Map<String, AttributeValue> key) {
        return target.dynamo.getItem(b -> b.tableName(target.table()).key(key).consistentRead(true)).item();
    }

    /** Bytes DynamoDB counts for string attributes: each name and value in UTF-8. */
    private static int size(Map<String, AttributeValue> stringItem) {
        return stringItem.entrySet().stream().mapToInt(e -> utf8(e.getKey()) + utf8(e.getValue().s())).sum();
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
