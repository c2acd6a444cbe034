package io.jobpipeline.cli;

import static io.jobpipeline.cli.FakeApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatsCommandTest {
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
    void printsATableOfCountsPerJobType() {
        api.on("GET /stats", json(200, """
                {"from":"2025-11-22T04:00","to":"2025-11-22T04:59","jobTypes":{
                  "inspection.submit":{"accepted":12,"completed":9,"failed":6,"deadLettered":2,
                    "latencyMs":{"samples":9,"avg":500,"p50":480,"p95":1210,"p99":1210}},
                  "vehicle.register":{"accepted":3,"completed":3,"failed":0,"deadLettered":0,
                    "latencyMs":{"samples":3,"avg":100,"p50":99,"p95":140,"p99":140}}}}"""));

        CliRun run = CliRun.of("stats", "--api", api.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).containsExactly(
                "Jobs counted from 2025-11-22T04:00 to 2025-11-22T04:59 (UTC):",
                "JOB TYPE           ACCEPTED  COMPLETED  FAILED  DEAD-LETTERED     P50      P95      P99",
                "inspection.submit        12          9       6              2  480 ms  1210 ms  1210 ms",
                "vehicle.register          3          3       0              0   99 ms   140 ms   140 ms");
    }

    @Test
    void aTypeWithoutLatencyShowsDashes() {
        api.on("GET /stats", json(200, "{\"from\":\"a\",\"to\":\"b\",\"jobTypes\":{\"vehicle.register\":{\"accepted\":1}}}"));

        CliRun run = CliRun.of("stats", "--api", api.url());

        assertThat(run.out().lines()).last().asString().matches("vehicle\\.register +1 +0 +0 +0 +- +- +-");
    }

    @Test
    void saysSoWhenNothingWasCounted() {
        api.on("GET /stats", json(200, "{\"from\":\"2025-11-22T04:00\",\"to\":\"2025-11-22T04:59\",\"jobTypes\":{}}"));

        CliRun run = CliRun.of("stats", "--api", api.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly("No jobs counted from 2025-11-22T04:00 to 2025-11-22T04:59 (UTC).");
    }

    @Test
    void printsTheRawJsonWhenAsked() {
        api.on("GET /stats", json(200, "{\"from\":\"a\",\"to\":\"b\",\"jobTypes\":{}}"));

        CliRun run = CliRun.of("stats", "--json", "--api", api.url());

        assertThat(run.out().strip()).isEqualTo("{\"from\":\"a\",\"to\":\"b\",\"jobTypes\":{}}");
    }
}
