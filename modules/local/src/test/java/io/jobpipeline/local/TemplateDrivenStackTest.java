package io.jobpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.local.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The stack takes its queues, mappings and rules from template.yaml: change a copy, and the stack follows. */
class TemplateDrivenStackTest {

    @Test
    void aChangedTemplateChangesTheRunningStack(@TempDir Path dir) throws Exception {
        String original = Files.readString(SharedLocalStack.TEMPLATE);
        String changed = original
                .replace("VisibilityTimeout: 180", "VisibilityTimeout: 77")
                .replace("source: [jobs.pipeline]\n              detail-type: [{ prefix: Job }]",
                        "source: [fleet.other]\n              detail-type: [{ prefix: Job }]");
        assertThat(changed).as("the test edits must apply to the current template").isNotEqualTo(original)
                .contains("VisibilityTimeout: 77").contains("source: [fleet.other]");
        Path copy = dir.resolve("template.yaml");
        Files.writeString(copy, changed);

        try (LocalPipeline stack = LocalPipeline.start(LocalOptions.ephemeral(copy));
             EventBridgeClient events = eventBridge(stack)) {
            var sqs = stack.clients().sqs();
            var attributes = sqs.getQueueAttributes(b -> b.queueUrl(stack.resources().queueUrl("JobsQueue"))
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("77");
            assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                    .contains(stack.resources().queueArn("JobsDeadLetterQueue")).contains("\"maxReceiveCount\":3");

            // The analytics rule now wants source fleet.other: a jobs.pipeline event reaches notifications only.
            String eventId = "11111111-2222-4333-8444-555555555555";
            String busName = stack.template().buses().get("JobsEventBus").name();
            events.putEvents(b -> b.entries(e -> e.eventBusName(busName).source("jobs.pipeline").detailType("JobFailed")
                    .detail(jobFailed(eventId))));
            EndToEndTest.waitFor(() -> EndToEndTest.exists(stack.clients().dynamoDb(), "CONSUMED#notifications#" + eventId, "EVENT"),
                    "notifications to consume the event");
            assertThat(stack.bus().awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(EndToEndTest.exists(stack.clients().dynamoDb(), "CONSUMED#analytics#" + eventId, "EVENT")).isFalse();
        }
    }

    @Test
    void aTemplateTheStackCannotReadStopsItNamingResourceAndProperty(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("template.yaml");
        Files.writeString(copy, Files.readString(SharedLocalStack.TEMPLATE).replace("VisibilityTimeout: 180", "VisibilityTimeout: soon"));
        assertThatThrownBy(() -> LocalPipeline.start(LocalOptions.ephemeral(copy)))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("JobsQueue").hasMessageContaining("VisibilityTimeout");
    }

    /** A JobFailed without a callback URL: the notification rule takes every failure (and records NO_CALLBACK). */
    private static String jobFailed(String eventId) {
        return io.jobpipeline.core.Json.write(Map.of("eventId", eventId, "jobId", "0190c2a4-0000-7000-8000-000000000001",
                "type", "vehicle.register", "producer", "test", "attempt", 1,
                "error", "boom", "retryable", true, "failedAt", "2026-11-22T10:00:01Z"));
    }

    private static EventBridgeClient eventBridge(LocalPipeline stack) {
        return EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .endpointOverride(stack.busEndpoint()).build();
    }

}
