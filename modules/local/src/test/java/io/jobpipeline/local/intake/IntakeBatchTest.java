package io.jobpipeline.local.intake;

import static io.jobpipeline.local.intake.IntakeRig.jobIds;
import static io.jobpipeline.local.intake.IntakeRig.json;
import static io.jobpipeline.local.intake.IntakeRig.vehicle;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.local.faults.FaultyHttpClient.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /jobs/batch}: every job answered on its own, in order; a job that is not queued says so. */
class IntakeBatchTest {
    private static final Set<Integer> INVALID = Set.of(4, 11, 19);
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
    void twentyFiveJobsWithThreeInvalidAreAnsweredInOrder() {
        List<String> jobs = IntStream.range(0, 25).mapToObj(i -> INVALID.contains(i)
                ? "{\"type\":\"inspection.submit\",\"payload\":{\"vehicleId\":\"VAN-" + i + "\",\"odometerKm\":-5,\"items\":[]}}"
                : vehicle("VAN-" + i)).toList();

        APIGatewayV2HTTPResponse response = batch(jobs);

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode results = json(response).get("results");
        assertThat(results).hasSize(25);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            JsonNode result = results.get(i);
            assertThat(result.get("index").asInt()).isEqualTo(i);
            if (INVALID.contains(i)) {
                assertThat(result.get("status").asInt()).isEqualTo(422);
                assertThat(result.has("jobId")).isFalse();
                assertThat(result.at("/problem/status").asInt()).isEqualTo(422);
                assertThat(result.at("/problem/errors").findValuesAsText("pointer"))
                        .contains("/jobs/" + i + "/payload", "/jobs/" + i + "/payload/odometerKm", "/jobs/" + i + "/payload/items");
            } else {
                assertThat(result.get("status").asInt()).isEqualTo(202);
                assertThat(result.has("problem")).isFalse();
                accepted.add(result.get("jobId").asText());
                assertThat(result.get("statusUrl").asText()).isEqualTo("/jobs/" + result.get("jobId").asText());
            }
        }
        assertThat(accepted).hasSize(22).doesNotHaveDuplicates();
        assertThat(rig.recordIds()).containsExactlyInAnyOrderElementsOf(accepted);
        List<JsonNode> messages = rig.drain();
        assertThat(jobIds(messages)).containsExactlyInAnyOrderElementsOf(accepted);
        // Each message carries its own job: the vehicle of the entry at the result's index.
        for (int i = 0, k = 0; i < 25; i++) {
            if (!INVALID.contains(i)) {
                String jobId = accepted.get(k++);
                String vehicle = "VAN-" + i;
                assertThat(messages).anySatisfy(m -> {
                    assertThat(m.get("jobId").asText()).isEqualTo(jobId);
                    assertThat(m.at("/payload/vehicleId").asText()).isEqualTo(vehicle);
                });
            }
        }
    }

    @Test
    void moreThanAHundredJobsIs422AndQueuesNothing() {
        APIGatewayV2HTTPResponse response = batch(IntStream.range(0, 101).mapToObj(i -> vehicle("VAN-" + i)).toList());

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(json(response).get("detail").asText()).contains("101 jobs").contains("at most 100");
        assertThat(rig.records()).isEmpty();
        assertThat(rig.drain()).isEmpty();
    }

    @Test
    void anEmptyOrMisshapenBatchIs422() {
        assertThat(json(rig.post("/jobs/batch", "{\"jobs\":[]}")).get("detail").asText()).contains("empty");
        for (String body : List.of("{\"jobs\":{}}", "{}", "{\"jobs\":[" + vehicle("V") + "],\"extra\":1}")) {
            APIGatewayV2HTTPResponse response = rig.post("/jobs/batch", body);
            assertThat(response.getStatusCode()).as(body).isEqualTo(422);
            assertThat(json(response).get("errors")).isNotEmpty();
        }
        assertThat(rig.records()).isEmpty();
    }

    @Test
    void anEntryTheQueueRefusesIs503AndLeavesNoRecord() {
        List<String> jobs = IntStream.range(0, 12).mapToObj(i -> vehicle(i == 7 ? "REFUSED" : "VAN-" + i)).toList();
        rig.http.failBatchEntries(entry -> entry.get("MessageBody").asText().contains("REFUSED"));

        JsonNode results = json(batch(jobs)).get("results");

        assertThat(rig.http.injected("SendMessageBatch entry")).isEqualTo(1);
        assertThat(results.get(7).get("status").asInt()).isEqualTo(503);
        assertThat(results.get(7).at("/problem/detail").asText()).contains("InternalError");
        assertThat(results.get(7).has("jobId")).isFalse();
        List<String> accepted = acceptedIds(results);
        assertThat(accepted).hasSize(11);
        assertThat(rig.recordIds()).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(jobIds(rig.drain())).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void aFailedSendMessageBatchCallRefusesItsJobsOnly() {
        // Entries 10 and 11 travel in the second call of ten; that call cannot connect.
        List<String> jobs = IntStream.range(0, 12).mapToObj(i -> vehicle(i >= 10 ? "LATE-" + i : "VAN-" + i)).toList();
        rig.http.fail("SendMessageBatch", body -> body.contains("LATE-"), Fault.CONNECTION);

        JsonNode results = json(batch(jobs)).get("results");

        assertThat(statuses(results)).containsExactly(202, 202, 202, 202, 202, 202, 202, 202, 202, 202, 503, 503);
        List<String> accepted = acceptedIds(results);
        assertThat(rig.recordIds()).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(jobIds(rig.drain())).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void aJobWhoseRecordCannotBeWrittenIs503AndIsNotSent() {
        List<String> jobs = IntStream.range(0, 5).mapToObj(i -> vehicle(i == 2 ? "UNSTORED" : "VAN-" + i)).toList();
        rig.http.fail("PutItem", "UNSTORED", Fault.THROTTLING);

        JsonNode results = json(batch(jobs)).get("results");

        assertThat(statuses(results)).containsExactly(202, 202, 503, 202, 202);
        List<String> accepted = acceptedIds(results);
        assertThat(rig.recordIds()).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(jobIds(rig.drain())).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void anIdempotencyKeyOnABatchIs400() {
        APIGatewayV2HTTPResponse response = rig.post("/jobs/batch", "{\"jobs\":[" + vehicle("V") + "]}",
                Map.of("Idempotency-Key", "k"), null);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).get("detail").asText()).contains("POST /jobs only");
        assertThat(rig.records()).isEmpty();
    }

    private APIGatewayV2HTTPResponse batch(List<String> jobs) {
        return rig.post("/jobs/batch", "{\"jobs\":[" + String.join(",", jobs) + "]}");
    }

    private static List<Integer> statuses(JsonNode results) {
        List<Integer> statuses = new ArrayList<>();
        results.forEach(r -> statuses.add(r.get("status").asInt()));
        return statuses;
    }

    private static List<String> acceptedIds(JsonNode results) {
        List<String> ids = new ArrayList<>();
        results.forEach(r -> {
            if (r.get("status").asInt() == 202) {
                ids.add(r.get("jobId").asText());
            }
        });
        return ids;
    }
}
