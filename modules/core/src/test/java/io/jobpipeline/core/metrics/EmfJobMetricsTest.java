package io.jobpipeline.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lines must be valid EMF: CloudWatch drops a malformed document silently, so the checks are the spec's rules. */
class EmfJobMetricsTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:00Z");
    private final List<String> lines = new ArrayList<>();
    private final EmfJobMetrics metrics = new EmfJobMetrics(Clock.fixed(NOW, ZoneOffset.UTC), lines::add);

    @Test
    void eachKindIsAMetricOfItsJobType() {
        metrics.accepted("vehicle.register");
        metrics.accepted("vehicle.register");
        metrics.completed("vehicle.register", 58);
        metrics.completed("vehicle.register", 12);
        metrics.failed("inspection.submit");
        metrics.deadLettered("inspection.submit");

        metrics.flush();

        assertThat(lines).hasSize(2);
        JsonNode inspection = valid(lines.get(0));
        assertThat(inspection.get("JobType").asText()).isEqualTo("inspection.submit");
        assertThat(inspection.get("JobsFailed").asLong()).isEqualTo(1);
        assertThat(inspection.get("JobsDeadLettered").asLong()).isEqualTo(1);
        assertThat(declared(inspection)).containsExactlyInAnyOrder("JobsFailed", "JobsDeadLettered");

        JsonNode vehicle = valid(lines.get(1));
        assertThat(vehicle.get("JobType").asText()).isEqualTo("vehicle.register");
        assertThat(vehicle.get("JobsAccepted").asLong()).isEqualTo(2);
        assertThat(vehicle.get("JobsCompleted").asLong()).isEqualTo(2);
        assertThat(vehicle.get("ProcessingDuration").toString()).isEqualTo("[58,12]");
        assertThat(declared(vehicle)).containsExactlyInAnyOrder("JobsAccepted", "JobsCompleted", "ProcessingDuration");
        assertThat(vehicle.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Unit"))
                .containsExactly("Count", "Count", "Milliseconds");
    }

    @Test
    void moreThanAHundredDurationsAreSplitAcrossDocuments() {
        for (int i = 0; i < 150; i++) {
            metrics.completed("vehicle.register", i);
        }
        metrics.flush();

        assertThat(lines).hasSize(2);
        assertThat(valid(lines.get(0)).get("ProcessingDuration")).hasSize(100);
        assertThat(valid(lines.get(0)).get("JobsCompleted").asLong()).isEqualTo(150);
        assertThat(valid(lines.get(1)).get("ProcessingDuration")).hasSize(50);
        assertThat(valid(lines.get(1)).has("JobsCompleted")).isFalse();
    }

    @Test
    void aFlushWritesOnlyWhatWasCountedSinceTheLastOne() {
        metrics.flush();
        assertThat(lines).isEmpty();
        metrics.failed("vehicle.register");
        metrics.flush();
        metrics.flush();
        assertThat(lines).hasSize(1);
    }

    /** The EMF specification's rules for one document; returns it parsed. */
    private static JsonNode valid(String line) {
        assertThat(line).doesNotContain("\n");
        JsonNode root = Json.tree(line);
        JsonNode aws = root.get("_aws");
        assertThat(aws).as("_aws metadata").isNotNull();
        assertThat(aws.get("Timestamp").isIntegralNumber()).isTrue();
        assertThat(aws.get("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        JsonNode directives = aws.get("CloudWatchMetrics");
        assertThat(directives.isArray()).isTrue();
        assertThat(directives).hasSize(1);
        JsonNode directive = directives.get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo("JobPipeline");
        for (JsonNode dimensionSet : directive.get("Dimensions")) {
            for (JsonNode dimension : dimensionSet) {
                assertThat(root.get(dimension.asText())).as("dimension %s has a value", dimension).isNotNull();
                assertThat(root.get(dimension.asText()).isTextual()).isTrue();
            }
        }
        JsonNode metrics = directive.get("Metrics");
        assertThat(metrics).isNotEmpty();
        assertThat(metrics.size()).isLessThanOrEqualTo(100);
        for (JsonNode metric : metrics) {
            JsonNode value = root.get(metric.get("Name").asText());
            assertThat(value).as("value of %s", metric.get("Name")).isNotNull();
            if (value.isArray()) {
                assertThat(value.size()).isBetween(1, 100);
                value.forEach(v -> assertThat(v.isNumber()).isTrue());
            } else {
                assertThat(value.isNumber()).isTrue();
            }
        }
        return root;
    }

    private static Set<String> declared(JsonNode document) {
        return new HashSet<>(document.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name"));
    }
}
