package io.jobpipeline.cli;

import static io.jobpipeline.cli.FakeApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GlobalOptionsTest {
    private static final String STATS = "{\"from\":\"a\",\"to\":\"b\",\"jobTypes\":{}}";

    FakeApi api;

    @BeforeEach
    void start() throws IOException {
        api = new FakeApi().on("GET /stats", json(200, STATS));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void apiAndTokenWorkBeforeTheCommand() {
        CliRun run = CliRun.of("--api", api.url() + "/", "--token", "abc", "stats");

        assertThat(run.exitCode()).isZero();
        assertThat(api.received.get(0).path()).isEqualTo("/stats");
        assertThat(api.received.get(0).authorization()).isEqualTo("Bearer abc");
    }

    @Test
    void apiAndTokenComeFromTheEnvironment() {
        CliRun run = CliRun.of(Map.of("PIPELINE_API", api.url(), "PIPELINE_TOKEN", "from-env"), "stats");

        assertThat(run.exitCode()).isZero();
        assertThat(api.received.get(0).authorization()).isEqualTo("Bearer from-env");
    }

    @Test
    void optionsWinOverTheEnvironment() {
        CliRun run = CliRun.of(Map.of("PIPELINE_API", "http://127.0.0.1:1", "PIPELINE_TOKEN", "from-env"),
                "stats", "--api", api.url(), "--token", "from-option");

        assertThat(run.exitCode()).isZero();
        assertThat(api.received.get(0).authorization()).isEqualTo("Bearer from-option");
    }

    @Test
    void anApiThatIsNotAnHttpUrlIsABadUsage() {
        CliRun run = CliRun.of("stats", "--api", "127.0.0.1:3000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(
                "error: --api must be an http(s) URL such as http://127.0.0.1:3000, not 127.0.0.1:3000");
    }

    @Test
    void aCommandGroupWithoutItsCommandIsABadUsage() {
        assertThat(CliRun.of("jobs").exitCode()).isEqualTo(2);
        assertThat(CliRun.of().exitCode()).isEqualTo(2);
        assertThat(CliRun.of("nonsense").exitCode()).isEqualTo(2);
    }
}
