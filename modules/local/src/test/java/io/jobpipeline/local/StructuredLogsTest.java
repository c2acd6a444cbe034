package io.jobpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobEvents;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One job followed across functions by its keys: the handlers' JSON lines, captured with the very layout the local
 * stack prints them with (log4j2-local.xml's HandlerJson), from the intake, the worker and analytics.
 */
class StructuredLogsTest {
    private static final List<String> HANDLER_LOGGERS = List.of("io.jobpipeline.intake", "io.jobpipeline.worker",
            "io.jobpipeline.notifications", "io.jobpipeline.analytics", "io.jobpipeline.core", "io.jobpipeline.aws");
    private final StringWriter captured = new StringWriter();
    private Appender capture;

    @BeforeEach
    void capture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender console = config.getAppender("HandlerJson");
        assertThat(console).as("log4j2-local.xml's HandlerJson appender").isNotNull();
        capture = WriterAppender.newBuilder().setName("captured").setTarget(captured)
                .setLayout((Layout<?>) console.getLayout()).build();
        capture.start();
        HANDLER_LOGGERS.forEach(name -> config.getLoggerConfig(name).addAppender(capture, null, null));
        context.updateLoggers();
    }

    @AfterEach
    void release() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        HANDLER_LOGGERS.forEach(name -> context.getConfiguration().getLoggerConfig(name).removeAppender("captured"));
        context.updateLoggers();
        capture.stop();
    }

    @Test
    void oneJobCanBeFollowedAcrossIntakeWorkerAndAnalytics() throws Exception {
        LocalPipeline stack = SharedLocalStack.get();
        TestHttp.Response accepted = TestHttp.postJson(stack.httpEndpoint(), "/jobs",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-LOG\",\"plate\":\"B-JP 1\",\"model\":\"Vito\"}}");
        assertThat(accepted.status()).isEqualTo(202);
        String jobId = accepted.json().get("jobId").asText();
        TestHttp.await(stack.httpEndpoint(), "/jobs/" + jobId,
                r -> r.status() == 200 && r.json().get("status").asText().equals("COMPLETED"), Duration.ofSeconds(15));
        String completed = JobEvents.eventId(jobId, "JobCompleted", 0);
        EndToEndTest.waitFor(() -> lines(jobId).stream().anyMatch(l -> l.path("eventId").asText().equals(completed)
                && l.get("logger").asText().startsWith("io.jobpipeline.analytics")), "analytics to log the JobCompleted");

        List<JsonNode> lines = lines(jobId);
        JsonNode intake = only(lines, "io.jobpipeline.intake");
        assertThat(intake.get("message").asText()).contains("accepted");
        assertThat(intake.get("attempt").asText()).isEqualTo("0");

        JsonNode worker = only(lines, "io.jobpipeline.core.work.JobProcessor");
        assertThat(worker.get("message").asText()).startsWith("job completed in");
        assertThat(worker.get("attempt").asText()).isEqualTo("1");
        assertThat(worker.get("messageId").asText()).isNotBlank();

        List<JsonNode> analytics = lines.stream().filter(l -> l.get("logger").asText().startsWith("io.jobpipeline.analytics")).toList();
        // Both events of the job reached analytics: its JobAccepted (published with the outcome) and its JobCompleted.
        assertThat(analytics).extracting(l -> l.get("eventId").asText())
                .contains(JobEvents.eventId(jobId, "JobAccepted", 0), completed);

        for (JsonNode line : lines) {
            assertThat(line.get("jobId").asText()).isEqualTo(jobId);
            assertThat(line.get("type").asText()).isEqualTo("vehicle.register");
            assertThat(line.has("attempt")).as("attempt in %s", line).isTrue();
            assertThat(line.get("requestId").asText()).as("request id in %s", line).hasSize(36);
            assertThat(line.get("level").asText()).isIn("INFO", "WARN", "ERROR");
            assertThat(line.has("timestamp")).isTrue();
        }
        // Each invocation has its own request id.
        assertThat(List.of(intake.get("requestId").asText(), worker.get("requestId").asText(),
                analytics.getFirst().get("requestId").asText())).doesNotHaveDuplicates();
    }

    private List<JsonNode> lines(String jobId) {
        return Arrays.stream(captured.toString().split("\n")).filter(l -> !l.isBlank()).map(Json::tree)
                .filter(l -> jobId.equals(l.path("jobId").asText())).toList();
    }

    private static JsonNode only(List<JsonNode> lines, String loggerPrefix) {
        List<JsonNode> found = lines.stream().filter(l -> l.get("logger").asText().startsWith(loggerPrefix)).toList();
        assertThat(found).as("lines of %s", loggerPrefix).hasSize(1);
        return found.getFirst();
    }
}
