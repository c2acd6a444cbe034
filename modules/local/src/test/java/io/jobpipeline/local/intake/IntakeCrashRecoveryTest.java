package io.jobpipeline.local.intake;

import static io.jobpipeline.local.intake.IntakeRig.jobIds;
import static io.jobpipeline.local.intake.IntakeRig.json;
import static io.jobpipeline.local.intake.IntakeRig.vehicle;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.faults.FaultyHttpClient.Fault;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An invocation that stops half-way through a keyed request (key claimed, record written, message sent, key completed)
 * leaves a key naming its job; the next request with the key finishes that job instead of making another. The stops
 * are made by failing the write that would have tidied up, with a short Lambda deadline as the key's lease.
 */
class IntakeCrashRecoveryTest {
    private static final String BODY = vehicle("VAN-CRASH");
    private IntakeRig rig;

    @BeforeEach
    void rig() {
        rig = new IntakeRig();
    }

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void aKeyWhoseJobWasNeverStoredIsResumedUnderItsJobId() {
        rig.http.fail("PutItem", "\"S\":\"JOB#", Fault.SERVER_ERROR).fail("DeleteItem", "IDEMPOTENCY#", Fault.CONNECTION);
        assertThat(post("stuck-1", 300).getStatusCode()).isEqualTo(503);
        String named = keyItem("stuck-1").get("jobId").s();
        assertThat(rig.records()).isEmpty();

        rig.http.heal();
        APIGatewayV2HTTPResponse retry = post("stuck-1", 30_000);

        assertThat(retry.getStatusCode()).isEqualTo(202);
        assertThat(json(retry).get("jobId").asText()).isEqualTo(named);
        assertThat(rig.recordIds()).containsExactly(named);
        assertThat(jobIds(rig.drain())).containsExactly(named);
        assertThat(keyItem("stuck-1").get("status").s()).isEqualTo("COMPLETED");
    }

    @Test
    void aRecordLeftWithoutItsMessageIsQueuedByTheNextRequest() {
        rig.http.fail("SendMessage", Fault.SERVER_ERROR).fail("DeleteItem", "\"S\":\"JOB#", Fault.CONNECTION);
        assertThat(post("stuck-2", 30_000).getStatusCode()).isEqualTo(503);
        String named = keyItem("stuck-2").get("jobId").s();
        assertThat(rig.recordIds()).as("the record the intake could not take back").containsExactly(named);
        assertThat(rig.drain()).isEmpty();

        rig.http.heal();
        // The failed invocation ended its lease: the retry resumes at once, not after the 30 s deadline.
        APIGatewayV2HTTPResponse retry = post("stuck-2", 30_000);

        assertThat(retry.getStatusCode()).isEqualTo(202);
        assertThat(json(retry).get("jobId").asText()).isEqualTo(named);
        assertThat(rig.recordIds()).containsExactly(named);
        assertThat(jobIds(rig.drain())).containsExactly(named);
    }

    @Test
    void aKeyNotCompletedAfterItsJobWasQueuedIsCompletedByTheNextRequest() {
        rig.http.fail("UpdateItem", "IDEMPOTENCY#", Fault.SERVER_ERROR);
        APIGatewayV2HTTPResponse first = post("stuck-3", 300);
        assertThat(first.getStatusCode()).as("the job is queued, so the answer is 202").isEqualTo(202);
        String jobId = json(first).get("jobId").asText();

        rig.http.heal();
        APIGatewayV2HTTPResponse retry = post("stuck-3", 30_000);

        assertThat(json(retry).get("jobId").asText()).isEqualTo(jobId);
        assertThat(rig.recordIds()).containsExactly(jobId);
        // The resumed request cannot know whether the message went out, so it sends it again; the worker's
        // conditional transitions run the job once.
        assertThat(jobIds(rig.drain())).containsOnly(jobId).hasSize(2);
        assertThat(keyItem("stuck-3").get("status").s()).isEqualTo("COMPLETED");
    }

    @Test
    void aJobTheWorkerHasStartedIsNotSentAgain() {
        rig.http.fail("UpdateItem", "IDEMPOTENCY#", Fault.SERVER_ERROR);
        String jobId = json(post("stuck-4", 300)).get("jobId").asText();
        rig.http.heal();
        SharedLocalStack.get().clients().dynamoDb().updateItem(b -> b.tableName(IntakeRig.TABLE)
                .key(Map.of("PK", AttributeValue.fromS("JOB#" + jobId), "SK", AttributeValue.fromS("JOB")))
                .updateExpression("SET #s = :running, attempts = :one")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":running", AttributeValue.fromS("RUNNING"), ":one", AttributeValue.fromN("1"))));

        APIGatewayV2HTTPResponse retry = post("stuck-4", 30_000);

        assertThat(json(retry).get("jobId").asText()).isEqualTo(jobId);
        assertThat(jobIds(rig.drain())).containsExactly(jobId);
    }

    @Test
    void aRetryWhileTheFirstInvocationStillHoldsTheKeyWaitsThenSays409() {
        rig.http.fail("UpdateItem", "IDEMPOTENCY#", Fault.SERVER_ERROR);
        assertThat(post("held", 20_000).getStatusCode()).isEqualTo(202);
        rig.http.heal();

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse busy = post("held", 30_000);

        assertThat(busy.getStatusCode()).isEqualTo(409);
        assertThat(busy.getHeaders()).containsEntry("retry-after", "1");
        assertThat(json(busy).get("detail").asText()).contains("still being processed");
        assertThat((System.nanoTime() - started) / 1_000_000).as("waited for the first invocation, briefly").isBetween(1_900L, 5_000L);
        assertThat(rig.drain()).hasSize(1);
    }

    private APIGatewayV2HTTPResponse post(String key, long deadlineMillis) {
        return rig.post("/jobs", BODY, Map.of("Idempotency-Key", key), io.jobpipeline.local.lambda.LocalContext.of("IntakeFunction", java.time.Duration.ofMillis(deadlineMillis)));
    }

    private Map<String, AttributeValue> keyItem(String key) {
        return SharedLocalStack.get().clients().dynamoDb().getItem(b -> b.tableName(IntakeRig.TABLE).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS("IDEMPOTENCY#" + rig.producer + "#" + key),
                        "SK", AttributeValue.fromS("IDEMPOTENCY")))).item();
    }
}
