package io.jobpipeline.local.intake;

import static io.jobpipeline.local.intake.IntakeRig.jobIds;
import static io.jobpipeline.local.intake.IntakeRig.json;
import static io.jobpipeline.local.intake.IntakeRig.vehicle;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobpipeline.aws.DynamoDbIdempotencyStore;
import io.jobpipeline.core.intake.IdempotencyRecord;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.local.SharedLocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key}: one key and body, one job, however often and however concurrently it is sent. */
class IntakeIdempotencyTest {
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
    void aReplayAnswersTheFirstJobAndQueuesNothingNew() {
        APIGatewayV2HTTPResponse first = post("order-1", vehicle("VAN-REPLAY"));
        APIGatewayV2HTTPResponse again = post("order-1", vehicle("VAN-REPLAY"));

        assertThat(first.getStatusCode()).isEqualTo(202);
        assertThat(again.getStatusCode()).isEqualTo(202);
        String jobId = json(first).get("jobId").asText();
        assertThat(json(again).get("jobId").asText()).isEqualTo(jobId);
        assertThat(json(again).get("statusUrl").asText()).isEqualTo("/jobs/" + jobId);
        assertThat(again.getHeaders()).containsEntry("location", "/jobs/" + jobId).containsEntry("idempotent-replayed", "true");
        assertThat(first.getHeaders()).doesNotContainKey("idempotent-replayed");
        assertThat(rig.recordIds()).containsExactly(jobId);
        assertThat(jobIds(rig.drain())).containsExactly(jobId);
    }

    @Test
    void theSameJsonSpacedOrOrderedDifferentlyIsTheSameBody() {
        String reordered = "{ \"payload\": {\"model\":\"Ford Transit\", \"plate\":\"B-JP 1\", \"vehicleId\":\"VAN-ORDER\"},\n \"type\": \"vehicle.register\" }";
        String first = json(post("order-2", vehicle("VAN-ORDER"))).get("jobId").asText();
        APIGatewayV2HTTPResponse again = post("order-2", reordered);

        assertThat(again.getStatusCode()).isEqualTo(202);
        assertThat(json(again).get("jobId").asText()).isEqualTo(first);
        assertThat(rig.drain()).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs409() {
        String jobId = json(post("order-3", vehicle("VAN-A"))).get("jobId").asText();
        APIGatewayV2HTTPResponse other = post("order-3", vehicle("VAN-B"));

        assertThat(other.getStatusCode()).isEqualTo(409);
        assertThat(other.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(json(other).get("detail").asText()).contains("order-3").contains("different body");
        assertThat(rig.recordIds()).containsExactly(jobId);
        assertThat(jobIds(rig.drain())).containsExactly(jobId);
    }

    @Test
    void keysBelongToTheirProducer() {
        String mine = json(post("shared-key", vehicle("VAN-P"))).get("jobId").asText();
        try (IntakeRig other = new IntakeRig()) {
            APIGatewayV2HTTPResponse theirs = other.post("/jobs", vehicle("VAN-P"), Map.of("Idempotency-Key", "shared-key"), null);
            assertThat(theirs.getStatusCode()).isEqualTo(202);
            assertThat(json(theirs).get("jobId").asText()).isNotEqualTo(mine);
        }
    }

    @Test
    void aMalformedKeyIs400AndStoresNothing() {
        for (String bad : List.of("", "x".repeat(256), "schlüssel", "tab\there")) {
            APIGatewayV2HTTPResponse response = post(bad, vehicle("VAN-BADKEY"));
            assertThat(response.getStatusCode()).as("key '%s'", bad).isEqualTo(400);
            assertThat(json(response).get("detail").asText()).contains("1 to 255 printable ASCII");
        }
        assertThat(rig.records()).isEmpty();
        assertThat(post("~ " + "x".repeat(253), vehicle("VAN-BADKEY")).getStatusCode()).isEqualTo(202);
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyMakeOneJobAndOneMessage() throws Exception {
        int requests = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<APIGatewayV2HTTPResponse>> answers = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                answers.add(threads.submit(() -> {
                    start.await();
                    return post("burst", vehicle("VAN-BURST"));
                }));
            }
            start.countDown();
        }
        List<String> accepted = new ArrayList<>();
        for (Future<APIGatewayV2HTTPResponse> answer : answers) {
            APIGatewayV2HTTPResponse response = answer.get();
            if (response.getStatusCode() == 202) {
                accepted.add(json(response).get("jobId").asText());
            } else {
                // Only a request that waited out the first one's lease may say so; none may fail otherwise.
                assertThat(response.getStatusCode()).isEqualTo(409);
                assertThat(json(response).get("type").asText()).endsWith("idempotency-key-in-progress");
            }
        }
        assertThat(accepted).isNotEmpty();
        String jobId = accepted.get(0);
        assertThat(accepted).allMatch(jobId::equals);
        assertThat(rig.recordIds()).containsExactly(jobId);
        assertThat(jobIds(rig.drain())).containsExactly(jobId);
    }

    @Test
    void anExpiredKeyStartsAfreshEvenBeforeTheTtlSweep() throws Exception {
        var store = new DynamoDbIdempotencyStore(SharedLocalStack.get().clients().dynamoDb(), IntakeRig.TABLE);
        Instant longAgo = Instant.now().minus(Duration.ofDays(2));
        JobId old = JobId.next(Clock.systemUTC());
        store.claim(IdempotencyRecord.inProgress(rig.producer, "old-key", "another body", old,
                longAgo, longAgo.plus(Duration.ofHours(24))), longAgo);
        store.complete(IdempotencyRecord.inProgress(rig.producer, "old-key", "another body", old, longAgo, longAgo));

        APIGatewayV2HTTPResponse response = post("old-key", vehicle("VAN-EXPIRED"));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(json(response).get("jobId").asText()).isNotEqualTo(old.value());
    }

    private APIGatewayV2HTTPResponse post(String key, String body) {
        return rig.post("/jobs", body, Map.of("Idempotency-Key", key), null);
    }
}
