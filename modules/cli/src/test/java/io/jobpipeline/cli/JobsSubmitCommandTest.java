package io.jobpipeline.cli;

import static io.jobpipeline.cli.FakeApi.json;
import static io.jobpipeline.cli.FakeApi.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsSubmitCommandTest {
    private static final String ACCEPTED = "{\"jobId\":\"01JD3Q5V8Z7M4K2X9T6B1N0R3F\",\"status\":\"QUEUED\",\"statusUrl\":\"/jobs/01JD3Q5V8Z7M4K2X9T6B1N0R3F\"}";

    @TempDir
    Path dir;

    FakeApi api;
    Path payload;

    @BeforeEach
    void start() throws IOException {
        api = new FakeApi();
        payload = Files.writeString(dir.resolve("vehicle.json"), "{\"vehicleId\":\"V-1\",\"plate\":\"B-JP 100\",\"model\":\"Transit\"}");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void submitsTheJobAndPrintsItsIdAndStatus() {
        api.on("POST /jobs", json(202, ACCEPTED));

        CliRun run = CliRun.of("jobs", "submit", "vehicle.register", payload.toString(), "--api", api.url(),
                "--callback-url", "https://example.org/hook", "--delay-seconds", "5", "--idempotency-key", "k-1", "--token", "t0k");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("01JD3Q5V8Z7M4K2X9T6B1N0R3F QUEUED" + System.lineSeparator());
        assertThat(run.err()).isEmpty();
        assertThat(api.received).hasSize(1);
        FakeApi.Received request = api.received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/jobs");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.authorization()).isEqualTo("Bearer t0k");
        assertThat(request.idempotencyKey()).isEqualTo("k-1");
        assertThat(Json.tree(request.body())).isEqualTo(Json.tree("""
                {"type":"vehicle.register",
                 "payload":{"vehicleId":"V-1","plate":"B-JP 100","model":"Transit"},
                 "callbackUrl":"https://example.org/hook","delaySeconds":5}"""));
    }

    @Test
    void leavesOutWhatWasNotGiven() {
        api.on("POST /jobs", json(202, ACCEPTED));

        CliRun run = CliRun.of("jobs", "submit", "vehicle.register", payload.toString(), "--api", api.url());

        assertThat(run.exitCode()).isZero();
        FakeApi.Received request = api.received.get(0);
        assertThat(Json.tree(request.body())).isEqualTo(Json.tree("""
                {"type":"vehicle.register","payload":{"vehicleId":"V-1","plate":"B-JP 100","model":"Transit"}}"""));
        assertThat(request.authorization()).isNull();
        assertThat(request.idempotencyKey()).isNull();
    }

    @Test
    void printsAProblemWithEveryViolationAndExitsOne() {
        api.on("POST /jobs", problem(422, """
                {"type":"https://jobpipeline.io/problems/invalid-job","title":"Invalid Job","status":422,
                 "detail":"the payload violates the schema of vehicle.register",
                 "errors":[{"pointer":"/payload/plate","message":"is required"},
                           {"pointer":"/payload/model","message":"must be a string"}]}"""));

        CliRun run = CliRun.of("jobs", "submit", "vehicle.register", payload.toString(), "--api", api.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly(
                "error: 422 Invalid Job: the payload violates the schema of vehicle.register",
                "  /payload/plate: is required",
                "  /payload/model: must be a string");
    }

    @Test
    void saysInOneLineWhenTheApiCannotBeReached() throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }

        CliRun run = CliRun.of("jobs", "submit", "vehicle.register", payload.toString(), "--api", closed);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly("error: cannot reach " + closed + " (is ./pipeline up running?)");
    }

    @Test
    void aMissingPayloadFileIsABadUsage() {
        Path missing = dir.resolve("nope.json");

        CliRun run = CliRun.of("jobs", "submit", "vehicle.register", missing.toString(), "--api", api.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("error: payload file " + missing + " does not exist");
        assertThat(api.received).isEmpty();
    }

    @Test
    void aPayloadThatIsNotJsonIsABadUsage() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"vehicleId\": ");

        CliRun run = CliRun.of("jobs", "submit", "vehicle.register", broken.toString(), "--api", api.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).hasSize(1).first().asString().startsWith("error: payload file " + broken + " is not JSON");
        assertThat(api.received).isEmpty();
    }

    @Test
    void aMissingArgumentIsPicocliUsageError() {
        CliRun run = CliRun.of("jobs", "submit", "vehicle.register");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(
                "error: Missing required parameter: 'FILE' (see ./pipeline jobs submit --help)");
    }

    @Test
    void waitsUntilTheJobCompletes() {
        api.on("POST /jobs", json(202, ACCEPTED));
        api.on("GET /jobs/01JD3Q5V8Z7M4K2X9T6B1N0R3F",
                json(200, "{\"jobId\":\"01JD3Q5V8Z7M4K2X9T6B1N0R3F\",\"type\":\"vehicle.register\",\"status\":\"RUNNING\",\"attempts\":1}"),
                json(200, "{\"jobId\":\"01JD3Q5V8Z7M4K2X9T6B1N0R3F\",\"type\":\"vehicle.register\",\"status\":\"COMPLETED\",\"attempts\":1,"
                        + "\"result\":{\"registered\":true}}"));

        CliRun run = CliRun.of("jobs", "submit", "vehicle.register", payload.toString(), "--api", api.url(), "--wait");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("01JD3Q5V8Z7M4K2X9T6B1N0R3F QUEUED").contains("Status      COMPLETED")
                .contains("Result      {\"registered\":true}");
        assertThat(api.received).hasSize(3);
    }

    @Test
    void waitingEndsInFailureWhenTheJobIsDeadLettered() {
        api.on("POST /jobs", json(202, ACCEPTED));
        api.on("GET /jobs/01JD3Q5V8Z7M4K2X9T6B1N0R3F", json(200, "{\"jobId\":\"01JD3Q5V8Z7M4K2X9T6B1N0R3F\","
                + "\"status\":\"DEAD_LETTERED\",\"attempts\":3,\"lastError\":\"vehicle V-9 is not registered\"}"));

        CliRun run = CliRun.of("jobs", "submit", "inspection.submit", payload.toString(), "--api", api.url(), "--wait");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Status      DEAD_LETTERED");
        assertThat(run.err().lines()).containsExactly(
                "error: job 01JD3Q5V8Z7M4K2X9T6B1N0R3F was dead-lettered: vehicle V-9 is not registered");
    }

    @Test
    void waitingGivesUpAtTheTimeout() {
        api.on("POST /jobs", json(202, ACCEPTED));
        api.on("GET /jobs/01JD3Q5V8Z7M4K2X9T6B1N0R3F", json(200, "{\"jobId\":\"01JD3Q5V8Z7M4K2X9T6B1N0R3F\",\"status\":\"QUEUED\"}"));

        CliRun run = CliRun.of("jobs", "submit", "vehicle.register", payload.toString(), "--api", api.url(), "--wait", "--timeout", "1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly("error: job 01JD3Q5V8Z7M4K2X9T6B1N0R3F is still QUEUED after 1 s;"
                + " see ./pipeline jobs show 01JD3Q5V8Z7M4K2X9T6B1N0R3F");
    }
}
