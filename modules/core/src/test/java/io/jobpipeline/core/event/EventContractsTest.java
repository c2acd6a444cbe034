package io.jobpipeline.core.event;

import static io.jobpipeline.core.testing.TestJobs.CLOCK;
import static io.jobpipeline.core.testing.TestJobs.TYPE;
import static io.jobpipeline.core.testing.TestJobs.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.handler.JobFailure;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.testing.InMemoryJobStore;
import io.jobpipeline.core.testing.TestHandler;
import io.jobpipeline.core.testing.TestJobs;
import io.jobpipeline.core.work.JobProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Subscribers rely on contracts/events: every event the worker produces fits its detail type's schema, each schema's
 * examples fit it, and no change may remove or retype a field subscribers were promised (subscriber-baseline.json).
 */
class EventContractsTest {
    private static final Path EVENTS = Path.of("../../contracts/events");
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    @Test
    void everyEventTheWorkerProducesFitsItsSchema() {
        InMemoryJobStore store = new InMemoryJobStore();
        TestHandler handler = new TestHandler(TYPE, (payload, context) -> {
            if (payload.path("fail").asBoolean()) {
                throw JobFailure.retryable("vehicle VAN-404 is not registered");
            }
            return json("{\"ok\":true}");
        });
        JobProcessor processor = new JobProcessor(store, store, new JobHandlers(List.of(handler)), CLOCK, 2);
        Job good = TestJobs.stored(store, "{\"vehicleId\":\"VAN-042\"}");
        Job bad = TestJobs.stored(store, "{\"fail\":true}");

        List<JobEvent> events = new ArrayList<>(processor.process(good.message(), 1).events());
        events.addAll(processor.process(bad.message(), 1).events());
        events.addAll(processor.process(bad.message(), 2).events());
        events.add(new JobAccepted(JobEvents.eventId(good.id().value(), "JobAccepted", 0), good.id().value(), TYPE,
                good.producer(), 0, null, TestJobs.NOW));

        assertThat(events).extracting(JobEvent::detailType)
                .contains("JobCompleted", "JobFailed", "JobDeadLettered", "JobAccepted");
        for (JobEvent event : events) {
            assertThat(schema(event.detailType()).validate(Json.tree(Json.write(event))))
                    .as(event.detailType() + " " + Json.write(event)).isEmpty();
        }
    }

    @Test
    void everySchemaExampleFitsItsSchema() throws Exception {
        for (String detailType : List.of("JobAccepted", "JobCompleted", "JobFailed", "JobDeadLettered", "envelope")) {
            JsonNode document = Json.tree(Files.readString(EVENTS.resolve(detailType + ".schema.json")));
            assertThat(document.path("examples")).as(detailType + " has examples").isNotEmpty();
            for (JsonNode example : document.path("examples")) {
                assertThat(schema(detailType).validate(example)).as(detailType + " example").isEmpty();
            }
        }
    }

    @Test
    void noRequiredFieldASubscriberReliesOnIsRemovedOrRetyped() throws Exception {
        JsonNode baseline = Json.tree(Files.readString(EVENTS.resolve("subscriber-baseline.json")));
        List<String> breaks = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> types = baseline.fields(); types.hasNext(); ) {
            Map.Entry<String, JsonNode> type = types.next();
            JsonNode schema = Json.tree(Files.readString(EVENTS.resolve(type.getKey() + ".schema.json")));
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            type.getValue().fields().forEachRemaining(field -> {
                if (!required.contains(field.getKey())) {
                    breaks.add(type.getKey() + "." + field.getKey() + " is no longer required");
                }
                String now = schema.path("properties").path(field.getKey()).path("type").asText("any");
                if (!now.equals(field.getValue().asText())) {
                    breaks.add(type.getKey() + "." + field.getKey() + " changed type " + field.getValue().asText() + " -> " + now);
                }
            });
        }
        assertThat(breaks).as("changes that break existing subscribers; publish a new detail type instead").isEmpty();
    }

    private JsonSchema schema(String detailType) {
        return factory.getSchema(SchemaLocation.of("classpath:contracts/events/" + detailType + ".schema.json"), config);
    }
}
