package io.jobpipeline.local.intake;

import static io.jobpipeline.local.intake.IntakeRig.jobIds;
import static io.jobpipeline.local.intake.IntakeRig.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code delaySeconds}: SQS's DelaySeconds, 0 to 900, on single jobs and batch entries alike. */
class IntakeDelayTest {
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
    void overNineHundredSecondsIs422NamingTheSqsLimit() {
        APIGatewayV2HTTPResponse response = rig.post("/jobs", delayed("VAN-LATE", 901));

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(json(response).get("detail").asText()).contains("900").contains("SQS DelaySeconds");
        assertThat(json(response).get("errors").findValuesAsText("pointer")).contains("/delaySeconds");

        APIGatewayV2HTTPResponse inBatch = rig.post("/jobs/batch", "{\"jobs\":[" + delayed("VAN-LATE", 901) + "]}");
        assertThat(json(inBatch).at("/results/0/status").asInt()).isEqualTo(422);
        assertThat(json(inBatch).at("/results/0/problem/detail").asText()).contains("900").contains("SQS DelaySeconds");
        assertThat(json(inBatch).at("/results/0/problem/errors/0/pointer").asText()).isEqualTo("/jobs/0/delaySeconds");
        assertThat(rig.records()).isEmpty();
    }

    @Test
    void theDelayReachesTheQueueForSingleJobsAndBatchEntries() throws Exception {
        String single = json(rig.post("/jobs", delayed("VAN-D1", 2))).get("jobId").asText();
        String inBatch = json(rig.post("/jobs/batch", "{\"jobs\":[" + delayed("VAN-D2", 2) + "]}")).at("/results/0/jobId").asText();

        assertThat(rig.drain()).as("nothing visible before the delay").isEmpty();
        Thread.sleep(2_500);
        assertThat(jobIds(rig.drain())).containsExactlyInAnyOrder(single, inBatch);
    }

    private static String delayed(String vehicleId, int seconds) {
        return "{\"type\":\"vehicle.register\",\"delaySeconds\":" + seconds
                + ",\"payload\":{\"vehicleId\":\"" + vehicleId + "\",\"plate\":\"P\",\"model\":\"M\"}}";
    }
}
