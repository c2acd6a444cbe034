package io.jobpipeline.cli;

import static io.jobpipeline.cli.FakeApi.json;
import static io.jobpipeline.cli.FakeApi.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsShowCommandTest {
    private static final String JOB = """
            {"jobId":"01JD3Q5V8Z7M4K2X9T6B1N0R3F","type":"inspection.submit","status":"DEAD_LETTERED","attempts":3,
             "createdAt":"2025-11-22T04:41:00.120Z","updatedAt":"2025-11-22T04:41:09.870Z",
             "lastError":"vehicle V-9 is not registered",
             "timeline":[
               {"at":"2025-11-22T04:41:00.120Z","event":"ACCEPTED"},
               {"at":"2025-11-22T04:41:00.310Z","event":"ATTEMPT_STARTED","attempt":1},
               {"at":"2025-11-22T04:41:00.330Z","event":"FAILED","attempt":1,"detail":"vehicle V-9 is not registered"},
               {"at":"2025-11-22T04:41:09.870Z","event":"DEAD_LETTERED","attempt":3}]}""";

    FakeApi api;

    @BeforeEach
    void start() throws IOException {
        api = new FakeApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void printsTheJobAsABlockWithItsTimeline() {
        api.on("GET /jobs/01JD3Q5V8Z7M4K2X9T6B1N0R3F", json(200, JOB));

        CliRun run = CliRun.of("--api", api.url(), "jobs", "show", "01JD3Q5V8Z7M4K2X9T6B1N0R3F");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).containsExactly(
                "Job         01JD3Q5V8Z7M4K2X9T6B1N0R3F",
                "Type        inspection.submit",
                "Status      DEAD_LETTERED",
                "Attempts    3",
                "Created     2025-11-22T04:41:00.120Z",
                "Updated     2025-11-22T04:41:09.870Z",
                "Last error  vehicle V-9 is not registered",
                "",
                "Timeline",
                "  2025-11-22T04:41:00.120Z  ACCEPTED",
                "  2025-11-22T04:41:00.310Z  ATTEMPT_STARTED  attempt 1",
                "  2025-11-22T04:41:00.330Z  FAILED           attempt 1  vehicle V-9 is not registered",
                "  2025-11-22T04:41:09.870Z  DEAD_LETTERED    attempt 3");
    }

    @Test
    void printsTheWholeJourneyEventsConsumersAndWebhookTries() {
        api.on("GET /jobs/J2", json(200, """
                {"jobId":"J2","type":"inspection.submit","status":"COMPLETED","attempts":4,
                 "createdAt":"2025-11-22T04:41:00.120Z","updatedAt":"2025-11-22T05:10:00.500Z",
                 "timeline":[
                   {"at":"2025-11-22T04:41:00.120Z","event":"ACCEPTED"},
                   {"at":"2025-11-22T04:41:00.330Z","event":"DEAD_LETTERED","attempt":3,"detail":"vehicle V-9 is not registered"},
                   {"at":"2025-11-22T05:10:00.100Z","event":"REPLAYED","detail":"by ops from JobsDeadLetterQueue"},
                   {"at":"2025-11-22T05:10:00.500Z","event":"COMPLETED","attempt":4}],
                 "events":[
                   {"detailType":"JobAccepted","eventId":"e-acc","at":"2025-11-22T04:41:00.120Z",
                    "consumers":[{"consumer":"analytics","appliedAt":"2025-11-22T04:41:00.900Z"}],"deliveries":[]},
                   {"detailType":"JobDeadLettered","eventId":"e-dlq","at":"2025-11-22T04:41:00.330Z","consumers":[],"deliveries":[]},
                   {"detailType":"JobCompleted","eventId":"e-done","at":"2025-11-22T05:10:00.500Z",
                    "consumers":[{"consumer":"analytics"},{"consumer":"notifications"}],
                    "deliveries":[{"attempt":1,"outcome":"HTTP_503","status":503,"at":"2025-11-22T05:10:00.600Z","detail":"callback answered 503"},
                                  {"attempt":2,"outcome":"DELIVERED","status":200,"at":"2025-11-22T05:10:01.600Z"}]}]}"""));

        CliRun run = CliRun.of("jobs", "show", "J2", "--api", api.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsSubsequence(
                "Timeline",
                "  2025-11-22T04:41:00.120Z  ACCEPTED",
                "  2025-11-22T04:41:00.330Z  DEAD_LETTERED  attempt 3  vehicle V-9 is not registered",
                "  2025-11-22T05:10:00.100Z  REPLAYED       by ops from JobsDeadLetterQueue",
                "  2025-11-22T05:10:00.500Z  COMPLETED      attempt 4",
                "",
                "Events",
                "  2025-11-22T04:41:00.120Z  JobAccepted      e-acc  applied by analytics",
                "  2025-11-22T04:41:00.330Z  JobDeadLettered  e-dlq  not applied by any consumer yet",
                "  2025-11-22T05:10:00.500Z  JobCompleted     e-done  applied by analytics, notifications",
                "                            webhook try 1  HTTP_503  2025-11-22T05:10:00.600Z  callback answered 503",
                "                            webhook try 2  DELIVERED  2025-11-22T05:10:01.600Z");
    }

    @Test
    void printsTheResultOfACompletedJob() {
        api.on("GET /jobs/J1", json(200, """
                {"jobId":"J1","type":"vehicle.register","status":"COMPLETED","attempts":1,
                 "completedAt":"2025-11-22T04:41:01Z","result":{"vehicleId":"V-1","registered":true}}"""));

        CliRun run = CliRun.of("jobs", "show", "J1", "--api", api.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Completed   2025-11-22T04:41:01Z")
                .contains("Result      {\"vehicleId\":\"V-1\",\"registered\":true}")
                .doesNotContain("Timeline");
    }

    @Test
    void printsTheRawJsonWhenAsked() {
        api.on("GET /jobs/01JD3Q5V8Z7M4K2X9T6B1N0R3F", json(200, JOB));

        CliRun run = CliRun.of("jobs", "show", "01JD3Q5V8Z7M4K2X9T6B1N0R3F", "--json", "--api", api.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo(JOB.strip());
    }

    @Test
    void anUnknownJobIsAFailure() {
        api.on("GET /jobs/NOPE", problem(404, "{\"type\":\"https://jobpipeline.io/problems/job-not-found\",\"title\":\"Not Found\","
                + "\"status\":404,\"detail\":\"no job NOPE\"}"));

        CliRun run = CliRun.of("jobs", "show", "NOPE", "--api", api.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly("error: 404 Not Found: no job NOPE");
    }

    @Test
    void anAnswerThatIsNotAProblemStillSaysWhatHappened() {
        api.on("GET /jobs/J1", new FakeApi.Answer(502, "text/plain", "upstream\nbroke"));

        CliRun run = CliRun.of("jobs", "show", "J1", "--api", api.url());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).containsExactly("error: 502 Bad Gateway: upstream broke");
    }
}
