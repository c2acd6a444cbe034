package io.jobpipeline.local.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The same features through the local HTTP front and on to the worker, as a producer sees them. */
class IntakeOverHttpTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private final URI api = SharedLocalStack.get().httpEndpoint();
    private final String token = TestHttp.token("http-" + UUID.randomUUID());

    @Test
    void aKeyedJobSentTwiceRunsOnce() throws Exception {
        String body = IntakeRig.vehicle("VAN-HTTP-KEY");
        HttpResponse<String> first = post("/jobs", body, "http-order-1");
        HttpResponse<String> again = post("/jobs", body, "http-order-1");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        String jobId = Json.tree(first.body()).get("jobId").asText();
        assertThat(Json.tree(again.body()).get("jobId").asText()).isEqualTo(jobId);
        assertThat(again.headers().firstValue("idempotent-replayed")).contains("true");

        JsonNode done = awaitCompleted(jobId);
        assertThat(done.get("attempts").asInt()).isEqualTo(1);
        assertThat(post("/jobs", IntakeRig.vehicle("VAN-OTHER"), "http-order-1").statusCode()).isEqualTo(409);
    }

    @Test
    void aBatchIsRoutedAndEveryJobRuns() throws Exception {
        String batch = "{\"jobs\":[" + IntakeRig.vehicle("VAN-HB1") + ",{\"type\":\"vehicle.paint\",\"payload\":{}},"
                + IntakeRig.vehicle("VAN-HB2") + "]}";
        HttpResponse<String> response = post("/jobs/batch", batch, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode results = Json.tree(response.body()).get("results");
        assertThat(results.get(1).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(1).at("/problem/errors/0/pointer").asText()).isEqualTo("/jobs/1/type");
        awaitCompleted(results.get(0).get("jobId").asText());
        awaitCompleted(results.get(2).get("jobId").asText());
    }

    private JsonNode awaitCompleted(String jobId) throws InterruptedException {
        TestHttp.Response done = TestHttp.await(api, "/jobs/" + jobId,
                r -> r.status() == 200 && r.json().get("status").asText().equals("COMPLETED"), Duration.ofSeconds(15), token);
        assertThat(done.json().get("status").asText()).isEqualTo("COMPLETED");
        return done.json();
    }

    private HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").header("authorization", "Bearer " + token);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
