package io.jobpipeline.cli;

import static io.jobpipeline.cli.FakeApi.json;
import static io.jobpipeline.cli.FakeApi.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsListCommandTest {
    private static final String PAGE_1 = """
            {"jobs":[
              {"jobId":"019aa6a6-77b0-7e4f-a1c2-d3e4f5a6b7c8","type":"inspection.submit","status":"DEAD_LETTERED","attempts":3,
               "createdAt":"2025-11-21T08:20:00.100Z","updatedAt":"2025-11-21T08:26:01.540Z"},
              {"jobId":"019aa6a4-5f2e-7c1a-9b3d-2e4f6a8c0b1d","type":"vehicle.register","status":"COMPLETED","attempts":1,
               "createdAt":"2025-11-21T08:14:03.219Z","updatedAt":"2025-11-21T08:14:03.277Z"}],
             "nextCursor":"abc+/="}""";
    private static final String PAGE_2 = """
            {"jobs":[
              {"jobId":"019aa6a3-0000-7000-8000-000000000001","type":"vehicle.register","status":"QUEUED","attempts":0,
               "createdAt":"2025-11-21T08:00:00Z","updatedAt":"2025-11-21T08:00:00Z"}]}""";

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
    void printsTheFirstPageAsATableAndSaysThereIsMore() {
        api.on("GET /jobs", json(200, PAGE_1));

        CliRun run = CliRun.of("--api", api.url(), "jobs", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "ID                                    TYPE               STATUS         ATTEMPTS  CREATED",
                "019aa6a6-77b0-7e4f-a1c2-d3e4f5a6b7c8  inspection.submit  DEAD_LETTERED         3  2025-11-21T08:20:00.100Z",
                "019aa6a4-5f2e-7c1a-9b3d-2e4f6a8c0b1d  vehicle.register   COMPLETED             1  2025-11-21T08:14:03.219Z",
                "More jobs: use --all to list them all.");
        assertThat(api.received).singleElement().satisfies(r -> assertThat(r.query()).isEqualTo("limit=20"));
    }

    @Test
    void allFollowsTheCursorWithLimitAndStatus() {
        api.on("GET /jobs", json(200, PAGE_1), json(200, PAGE_2));

        CliRun run = CliRun.of("--api", api.url(), "jobs", "list", "--all", "--limit", "2", "--status", "COMPLETED");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(4).noneMatch(l -> l.startsWith("More jobs"));
        assertThat(run.out()).contains("019aa6a3-0000-7000-8000-000000000001");
        assertThat(api.received).extracting(FakeApi.Received::query).containsExactly(
                "limit=2&status=COMPLETED", "limit=2&status=COMPLETED&cursor=abc%2B%2F%3D");
    }

    @Test
    void saysSoWhenThereAreNoJobs() {
        api.on("GET /jobs", json(200, "{\"jobs\":[]}"));

        CliRun run = CliRun.of("--api", api.url(), "jobs", "list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("No jobs.");
    }

    @Test
    void aRefusedQueryIsReported() {
        api.on("GET /jobs", problem(400, """
                {"type":"https://jobpipeline.io/problems/invalid-query","title":"Invalid Query Parameter","status":400,
                 "detail":"status must be one of [QUEUED, RUNNING, COMPLETED, FAILED, DEAD_LETTERED] (got 'DONE')"}"""));

        CliRun run = CliRun.of("--api", api.url(), "jobs", "list", "--status", "DONE");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("got 'DONE'");
    }

    @Test
    void aLimitOutOfRangeIsAUsageError() {
        CliRun run = CliRun.of("--api", api.url(), "jobs", "list", "--limit", "500");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--limit must be from 1 to 100");
        assertThat(api.received).isEmpty();
    }
}
