package io.jobpipeline.aws.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** The deployment jars' log lines: what JobLogLayout.json printed through log4j2, field for field. */
class JsonLineLoggersTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private final ThreadMdc mdc = new ThreadMdc();

    private JsonLineLoggers loggers(Map<String, String> env) {
        return new JsonLineLoggers(LevelThresholds.fromEnvironment(env), (line, level) -> {
            lines.add(new String(line, StandardCharsets.UTF_8));
            levels.add(level);
        }, mdc);
    }

    @Test
    void aLineIsOneJsonObjectWithTheJobKeysAsTopLevelFieldsInNameOrder() {
        Logger log = loggers(Map.of()).getLogger("io.jobpipeline.core.work.JobProcessor");
        mdc.put("type", "vehicle.register");
        mdc.put("jobId", "j-1");
        mdc.put("attempt", "1");
        mdc.put("requestId", "r-1");
        mdc.put("messageId", "m-1");
        log.info("job completed in {} ms", 42);

        assertThat(lines).hasSize(1);
        String line = lines.get(0);
        assertThat(line).endsWith("}\n").doesNotContain("\n{");
        JsonNode json = Json.tree(line);
        assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("io.jobpipeline.core.work.JobProcessor");
        assertThat(json.get("message").asText()).isEqualTo("job completed in 42 ms");
        assertThat(json.has("errorType")).isFalse();
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("timestamp", "level", "logger", "message", "attempt", "jobId", "messageId",
                "requestId", "type");
        assertThat(levels).containsExactly(Level.INFO);
    }

    @Test
    void anExceptionKeepsItsTypeMessageAndStackTraceOnTheSameLine() {
        Logger log = loggers(Map.of()).getLogger("io.jobpipeline.intake.IntakeHandler");
        log.error("POST /jobs failed: \"{}\"", "quoted\ttext", new IllegalStateException("store\nclosed"));

        String line = lines.get(0);
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        JsonNode json = Json.tree(line);
        assertThat(json.get("message").asText()).isEqualTo("POST /jobs failed: \"quoted\ttext\"");
        assertThat(json.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json.get("errorMessage").asText()).isEqualTo("store\nclosed");
        assertThat(json.get("stackTrace").asText()).startsWith("java.lang.IllegalStateException: store\nclosed")
                .contains("at io.jobpipeline.aws.logging.JsonLineLoggersTest");
    }

    @Test
    void metricLinesAreTheMessageAloneSoCloudWatchReadsTheEmfObject() {
        mdc.put("jobId", "j-2");
        loggers(Map.of("LOG_LEVEL", "warn")).getLogger("io.jobpipeline.metrics").info("{\"_aws\":{}}");
        assertThat(lines).containsExactly("{\"_aws\":{}}\n");
    }

    @Test
    void thresholdsAreLogLevelForThePipelineAndWarnForLibraries() {
        JsonLineLoggers quiet = loggers(Map.of("LOG_LEVEL", "warn"));
        quiet.getLogger("io.jobpipeline.worker.WorkerHandler").info("not printed");
        quiet.getLogger("io.jobpipeline.worker.WorkerHandler").warn("printed");
        quiet.getLogger("software.amazon.awssdk.request").info("not printed");
        quiet.getLogger("software.amazon.awssdk.request").warn("printed");
        assertThat(lines).hasSize(2).allMatch(l -> l.contains("\"message\":\"printed\""));

        lines.clear();
        JsonLineLoggers verbose = loggers(Map.of("LOG_LEVEL", "debug"));
        assertThat(verbose.getLogger("io.jobpipeline.core.Job").isDebugEnabled()).isTrue();
        assertThat(verbose.getLogger("com.fasterxml.jackson").isInfoEnabled()).isFalse();
        JsonLineLoggers off = loggers(Map.of("LOG_LEVEL", "off"));
        off.getLogger("io.jobpipeline.intake.IntakeHandler").error("not printed");
        assertThat(lines).isEmpty();
    }

    @Test
    void theMdcIsPerThreadAndNotInheritedByThreadsStartedInAScope() throws Exception {
        mdc.put("jobId", "j-3");
        String[] seen = new String[1];
        Thread child = new Thread(() -> seen[0] = mdc.get("jobId"));
        child.start();
        child.join();
        assertThat(seen[0]).isNull();
        assertThat(mdc.get("jobId")).isEqualTo("j-3");
    }
}
