package io.jobpipeline.local.intake;

import static io.jobpipeline.local.intake.IntakeRig.jobIds;
import static io.jobpipeline.local.intake.IntakeRig.json;
import static io.jobpipeline.local.intake.IntakeRig.vehicle;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobpipeline.local.faults.FaultyHttpClient.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 202 means the job record exists and its message is on the queue; anything less is a 503 with Retry-After and
 * leaves neither. Each step of {@code POST /jobs} is failed in turn, as DynamoDB and SQS fail: 5xx, throttling, no
 * connection, every retry of the SDK included.
 */
class IntakeFaultTest {
    private IntakeRig rig;

    @BeforeEach
    void rig() {
        rig = new IntakeRig();
    }

    @AfterEach
    void close() {
        rig.close();
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailedRecordWriteQueuesNothing(Fault fault) {
        rig.http.fail("PutItem", "\"S\":\"JOB#", fault);

        assertUnavailableAndNothingLeft(rig.post("/jobs", vehicle("PUT-FAILS")));
        assertThat(rig.http.injected("PutItem")).as("every attempt the SDK made failed").isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailedSendTakesTheRecordBack(Fault fault) {
        rig.http.fail("SendMessage", fault);

        assertUnavailableAndNothingLeft(rig.post("/jobs", vehicle("SEND-FAILS")));
        assertThat(rig.http.injected("SendMessage")).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailedKeyClaimQueuesNothing(Fault fault) {
        rig.http.fail("PutItem", "IDEMPOTENCY#", fault);

        assertUnavailableAndNothingLeft(rig.post("/jobs", vehicle("CLAIM-FAILS"), java.util.Map.of("Idempotency-Key", "k-1"), null));
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailedSendWithAKeyTakesTheRecordBackAndFreesTheKey(Fault fault) {
        var key = java.util.Map.of("Idempotency-Key", "k-2");
        rig.http.fail("SendMessage", fault);
        assertUnavailableAndNothingLeft(rig.post("/jobs", vehicle("KEYED-SEND-FAILS"), key, null));

        rig.http.heal();
        APIGatewayV2HTTPResponse retry = rig.post("/jobs", vehicle("KEYED-SEND-FAILS"), key, null);
        assertThat(retry.getStatusCode()).isEqualTo(202);
        String jobId = json(retry).get("jobId").asText();
        assertThat(rig.recordIds()).containsExactly(jobId);
        assertThat(jobIds(rig.drain())).containsExactly(jobId);
    }

    @Test
    void whenTheQueueRecoversTheNextRequestGoesThrough() {
        rig.http.fail("SendMessage", Fault.SERVER_ERROR);
        assertUnavailableAndNothingLeft(rig.post("/jobs", vehicle("RECOVERS")));

        rig.http.heal();
        APIGatewayV2HTTPResponse accepted = rig.post("/jobs", vehicle("RECOVERS"));
        assertThat(accepted.getStatusCode()).isEqualTo(202);
        String jobId = json(accepted).get("jobId").asText();
        assertThat(rig.recordIds()).containsExactly(jobId);
        assertThat(jobIds(rig.drain())).containsExactly(jobId);
    }

    private void assertUnavailableAndNothingLeft(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("retry-after", "1").containsEntry("content-type", "application/problem+json");
        assertThat(json(response).get("detail").asText()).contains("nothing was queued");
        assertThat(rig.records()).as("job records of the producer").isEmpty();
        assertThat(rig.drain()).as("messages on the queue").isEmpty();
    }
}
