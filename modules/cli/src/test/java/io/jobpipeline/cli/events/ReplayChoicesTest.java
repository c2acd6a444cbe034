package io.jobpipeline.cli.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.core.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What events replay reads from its options: the window's times, and the events a --pattern describes. */
class ReplayChoicesTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void timesAreInstantsOffsetsDurationsAgoOrNow() {
        assertThat(ReplayWindow.time("--from", "2026-11-22T08:30:00Z", NOW)).isEqualTo(Instant.parse("2026-11-22T08:30:00Z"));
        assertThat(ReplayWindow.time("--from", "2026-11-22T09:30:00+01:00", NOW)).isEqualTo(Instant.parse("2026-11-22T08:30:00Z"));
        assertThat(ReplayWindow.time("--from", "90m", NOW)).isEqualTo(Instant.parse("2026-11-22T08:30:00Z"));
        assertThat(ReplayWindow.time("--from", "PT1H30M", NOW)).isEqualTo(Instant.parse("2026-11-22T08:30:00Z"));
        assertThat(ReplayWindow.time("--to", "now", NOW)).isEqualTo(NOW);
        for (String bad : List.of("yesterday", "2026-11-22", "2026-11-22T08:30:00", "-5m", "0s", "")) {
            assertThatThrownBy(() -> ReplayWindow.time("--from", bad, NOW)).as(bad).isInstanceOf(CliFailure.class)
                    .hasMessageStartingWith("error: --from must be a time such as");
        }
        assertThatThrownBy(() -> new ReplayWindow(NOW, NOW)).isInstanceOf(CliFailure.class)
                .hasMessage("error: --from must be before --to, not " + NOW + " .. " + NOW);
    }

    @Test
    void aPatternDescribesOneEventPerCombinationOfItsValues() {
        List<JsonNode> events = PatternSamples.of("""
                {"detail-type": ["JobFailed", "JobDeadLettered"], "detail": {"type": ["a", "b"], "attempt": [3]}}""")
                .stream().map(Json::tree).toList();

        assertThat(events).hasSize(4);
        assertThat(events).extracting(e -> e.get("detail-type").asText() + "/" + e.path("detail").path("type").asText()
                        + "/" + e.path("detail").path("attempt").asInt())
                .containsExactlyInAnyOrder("JobFailed/a/3", "JobFailed/b/3", "JobDeadLettered/a/3", "JobDeadLettered/b/3");
        // Whole envelopes, as TestEventPattern wants them; the pipeline's source unless the pattern names one.
        assertThat(events).allSatisfy(e -> assertThat(e.fieldNames()).toIterable()
                .contains("id", "account", "source", "time", "region", "detail-type", "detail"));
        assertThat(events).allSatisfy(e -> assertThat(e.get("source").asText()).isEqualTo("jobs.pipeline"));
    }

    @Test
    void eachBranchOfAnOrIsAnEventOfItsOwn() {
        List<JsonNode> events = PatternSamples.of("""
                {"source": ["elsewhere"], "$or": [{"detail-type": ["JobCompleted"], "detail": {"callbackUrl": ["https://x"]}},
                                                  {"detail-type": ["JobFailed"]}]}""").stream().map(Json::tree).toList();

        assertThat(events).extracting(e -> e.get("source").asText() + " " + e.get("detail-type").asText() + " "
                + e.path("detail").path("callbackUrl").asText("-"))
                .containsExactlyInAnyOrder("elsewhere JobCompleted https://x", "elsewhere JobFailed -");
    }

    @Test
    void matchersOtherThanExactValuesAndNonPatternsAreRefused() {
        assertThatThrownBy(() -> PatternSamples.of("{\"detail-type\":[{\"prefix\":\"Job\"}]}"))
                .hasMessageStartingWith("error: --pattern may only list exact values").hasMessageContaining("/detail-type");
        assertThatThrownBy(() -> PatternSamples.of("[1]")).hasMessageStartingWith("error: --pattern must be a non-empty JSON object");
        assertThatThrownBy(() -> PatternSamples.of("{}")).hasMessageStartingWith("error: --pattern must be a non-empty JSON object");
        assertThatThrownBy(() -> PatternSamples.of("{\"source\":\"jobs.pipeline\"}")).hasMessageStartingWith("error: --pattern: /source must be a list");
        assertThatThrownBy(() -> PatternSamples.of("not json")).hasMessageStartingWith("error: --pattern must be a JSON event pattern");
        // 4 x 4 x 5 = 80 combinations: too many to ask about, name the rules instead.
        assertThatThrownBy(() -> PatternSamples.of("""
                {"a": [1, 2, 3, 4], "b": [1, 2, 3, 4], "c": [1, 2, 3, 4, 5]}""")).hasMessageContaining("name the rules with --rule");
    }
}
