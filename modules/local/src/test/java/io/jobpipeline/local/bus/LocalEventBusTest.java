package io.jobpipeline.local.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.local.bus.BusTestSupport.MutableClock;
import io.jobpipeline.local.bus.BusTestSupport.RecordingTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.EventBus;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static io.jobpipeline.local.bus.BusTestSupport.ACCOUNT;
import static io.jobpipeline.local.bus.BusTestSupport.entry;
import static io.jobpipeline.local.bus.BusTestSupport.fieldNames;
import static io.jobpipeline.local.bus.BusTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The endpoint through the real SDK client: PutEvents limits and per-entry errors, the envelope, bus listing. */
class LocalEventBusTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.250Z");
    private static final String JOB_COMPLETED = "{\"source\":[\"jobs.worker\"],\"detail-type\":[\"JobCompleted\"]}";

    private static final RecordingTarget JOBS = new RecordingTarget();
    private static final RecordingTarget DEFAULT_BUS = new RecordingTarget();
    private static LocalEventBus bus;
    private static EventBridgeClient client;

    @BeforeAll
    static void start() throws Exception {
        bus = new LocalEventBus(BusTestSupport.fastSettings(), List.of("jobs", "audit"), List.of(
                new BusRule("completed", "jobs", JOB_COMPLETED, JOBS, 0, 60, Optional.empty()),
                new BusRule("on-default", "default", "{\"source\":[\"jobs.intake\"]}", DEFAULT_BUS)),
                null, new MutableClock(NOW));
        bus.start();
        client = BusTestSupport.eventBridge(bus.endpoint());
    }

    @AfterAll
    static void stop() {
        client.close();
        bus.close();
    }

    @BeforeEach
    void clear() {
        JOBS.received.clear();
        DEFAULT_BUS.received.clear();
    }

    @Test
    void aMatchingEventReachesTheTargetAsTheExactEventBridgeEnvelope() throws Exception {
        String detail = "{\"jobId\":\"j-1\",\"cost\":1.10,\"tags\":[\"a\",\"b\"],\"nested\":{\"n\":1}}";
        PutEventsResponse response = client.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                .eventBusName("jobs").source("jobs.worker").detailType("JobCompleted").detail(detail)
                .resources("arn:aws:dynamodb:us-east-1:123456789012:table/jobs")
                .time(Instant.parse("2020-09-30T15:58:34.789Z")).build()));

        assertThat(response.failedEntryCount()).isZero();
        String eventId = response.entries().getFirst().eventId();
        assertThat(eventId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();

        assertThat(JOBS.received).hasSize(1);
        JsonNode sample = json(Files.readString(Path.of("/work/shared/events/eventbridge_event.json")));
        JsonNode event = json(JOBS.received.getFirst());
        assertThat(fieldNames(event)).containsExactlyElementsOf(fieldNames(sample));
        assertThat(event).isEqualTo(json("""
                {"version":"0","id":"%s","detail-type":"JobCompleted","source":"jobs.worker",
                 "account":"123456789012","time":"2020-09-30T15:58:34Z","region":"us-east-1",
                 "resources":["arn:aws:dynamodb:us-east-1:123456789012:table/jobs"],
                 "detail":{"jobId":"j-1","cost":1.10,"tags":["a","b"],"nested":{"n":1}}}
                """.formatted(eventId)));
        assertThat(JOBS.received.getFirst()).contains("\"cost\":1.10");
        assertThat(DEFAULT_BUS.received).isEmpty();
    }

    @Test
    void withoutTimeTheEnvelopeCarriesTheIngestionSecondAndTheDefaultBusIsUsed() throws Exception {
        client.putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("jobs.intake").detailType("JobAccepted")
                .detail("{}").build()));

        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
        JsonNode event = DEFAULT_BUS.events().getFirst();
        assertThat(event.get("time").asText()).isEqualTo("2026-03-01T10:15:30Z");
        assertThat(event.get("resources").isArray()).isTrue();
        assertThat(event.get("resources")).isEmpty();
        assertThat(event.get("detail")).isEqualTo(json("{}"));
        assertThat(JOBS.received).isEmpty();
    }

    @Test
    void aMalformedDetailFailsOnlyItsEntryAndTheGoodOneIsDelivered() throws Exception {
        PutEventsResponse response = client.putEvents(b -> b.entries(
                entry("jobs", "jobs.worker", "JobCompleted", "{\"jobId\": \"bad\""),
                entry("jobs", "jobs.worker", "JobCompleted", "{\"jobId\":\"good\"}")));

        assertThat(response.failedEntryCount()).isEqualTo(1);
        assertThat(response.entries().get(0).errorCode()).isEqualTo("MalformedDetail");
        assertThat(response.entries().get(0).eventId()).isNull();
        assertThat(response.entries().get(1).errorCode()).isNull();
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(JOBS.events()).singleElement().satisfies(event -> {
            assertThat(event.at("/detail/jobId").asText()).isEqualTo("good");
            assertThat(event.get("id").asText()).isEqualTo(response.entries().get(1).eventId());
        });
    }

    @Test
    void everyKindOfPerEntryErrorIsReportedInInputOrder() throws Exception {
        PutEventsResponse response = client.putEvents(b -> b.entries(
                entry("jobs", null, "JobCompleted", "{}"),
                entry("jobs", "jobs.worker", null, "{}"),
                entry("jobs", "jobs.worker", "JobCompleted", null),
                entry("jobs", "jobs.worker", "JobCompleted", "[1,2]"),
                entry("jobs", "aws.events", "JobCompleted", "{}"),
                entry("nope", "jobs.worker", "JobCompleted", "{}"),
                entry("arn:aws:events:us-east-1:999999999999:event-bus/jobs", "jobs.worker", "JobCompleted", "{}"),
                entry(bus.busArn("jobs"), "jobs.worker", "JobCompleted", "{\"via\":\"arn\"}")));

        assertThat(response.failedEntryCount()).isEqualTo(7);
        assertThat(response.entries()).extracting(PutEventsResultEntry::errorCode).containsExactly(
                "InvalidArgument", "InvalidArgument", "InvalidArgument", "MalformedDetail",
                "NotAuthorizedForSourceException", "ResourceNotFoundException", "ResourceNotFoundException", null);
        assertThat(response.entries().get(0).errorMessage())
                .isEqualTo("Parameter Source is not valid. Reason: Source is a required argument.");
        assertThat(response.entries().get(5).errorMessage()).isEqualTo("Event bus nope does not exist.");
        assertThat(response.entries().get(7).eventId()).isNotBlank();
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(JOBS.events()).singleElement()
                .satisfies(event -> assertThat(event.at("/detail/via").asText()).isEqualTo("arn"));
    }

    @Test
    void moreThanTenEntriesOrNoneIsAWholeRequestValidationError() {
        List<PutEventsRequestEntry> eleven = Collections.nCopies(11, entry("jobs", "jobs.worker", "JobCompleted", "{}"));

        assertThatThrownBy(() -> client.putEvents(b -> b.entries(eleven)))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("less than or equal to 10");
                });
        assertThatThrownBy(() -> client.putEvents(b -> b.entries(List.of())))
                .isInstanceOfSatisfying(EventBridgeException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThat(JOBS.received).isEmpty();
    }

    @Test
    void entriesOver256KibInTotalAreRefusedCountingBytesTheWayAwsDocumentsIt() throws Exception {
        // Time counts 14 bytes, Source + DetailType + Detail + Resources their UTF-8 bytes; é is two bytes.
        String source = "jobs.worker";
        String detailType = "JobCompleted";
        String resource = "arn:x";
        int fixed = 14 + source.length() + detailType.length() + resource.length() + "{\"p\":\"\"}".length();
        int budget = 256 * 1024 - fixed;
        String exactlyAtLimit = "{\"p\":\"" + "é".repeat(budget / 2) + "x".repeat(budget % 2) + "\"}";
        PutEventsRequestEntry atLimit = PutEventsRequestEntry.builder().eventBusName("audit").source(source)
                .detailType(detailType).detail(exactlyAtLimit).resources(resource).time(NOW).build();
        assertThat(PutEventsValidator.entrySize(json(BusTestSupport.JSON.writeValueAsString(
                java.util.Map.of("Time", 1, "Source", source, "DetailType", detailType, "Detail", exactlyAtLimit,
                        "Resources", List.of(resource)))))).isEqualTo(256 * 1024);

        assertThat(client.putEvents(b -> b.entries(atLimit)).failedEntryCount()).isZero();
        PutEventsRequestEntry oneByteMore = atLimit.toBuilder().source(source + "s").build();
        assertThatThrownBy(() -> client.putEvents(b -> b.entries(oneByteMore)))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Total size of the entries in the request is over the limit.");
                });
        String half = "{\"p\":\"" + "x".repeat(140 * 1024) + "\"}";
        assertThatThrownBy(() -> client.putEvents(b -> b.entries(entry("jobs", source, detailType, half),
                entry("jobs", source, detailType, half))))
                .isInstanceOfSatisfying(EventBridgeException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThat(bus.stats().requestsRejected()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void listsAndDescribesTheDefaultAndCustomBuses() {
        List<EventBus> buses = client.listEventBuses(b -> { }).eventBuses();
        assertThat(buses).extracting(EventBus::name).containsExactly("default", "jobs", "audit");
        assertThat(buses).extracting(EventBus::arn).containsExactly(
                "arn:aws:events:us-east-1:" + ACCOUNT + ":event-bus/default",
                "arn:aws:events:us-east-1:" + ACCOUNT + ":event-bus/jobs",
                "arn:aws:events:us-east-1:" + ACCOUNT + ":event-bus/audit");
        assertThat(client.listEventBuses(b -> b.namePrefix("au")).eventBuses()).extracting(EventBus::name)
                .containsExactly("audit");
        var firstPage = client.listEventBuses(b -> b.limit(2));
        assertThat(firstPage.eventBuses()).hasSize(2);
        assertThat(client.listEventBuses(b -> b.nextToken(firstPage.nextToken())).eventBuses())
                .extracting(EventBus::name).containsExactly("audit");

        assertThat(client.describeEventBus(b -> b.name("jobs")).arn()).isEqualTo(bus.busArn("jobs"));
        assertThat(client.describeEventBus(b -> b.name(bus.busArn("audit"))).name()).isEqualTo("audit");
        assertThat(client.describeEventBus(b -> { }).name()).isEqualTo("default");
        assertThatThrownBy(() -> client.describeEventBus(b -> b.name("missing")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Event bus missing does not exist.");
    }

    @Test
    void otherOperationsAreUnknownAndErrorsUseTheAwsJsonShape() throws Exception {
        assertThatThrownBy(() -> client.putRule(b -> b.name("not-served-locally")))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                });

        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> raw = http.send(HttpRequest.newBuilder(bus.endpoint())
                    .header("X-Amz-Target", "AWSEvents.PutEvents")
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"Entries\":[]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(raw.statusCode()).isEqualTo(400);
            assertThat(raw.headers().firstValue("x-amzn-ErrorType")).contains("ValidationException");
            assertThat(raw.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.1");
            assertThat(fieldNames(json(raw.body()))).containsExactly("__type", "message");
            assertThat(json(raw.body()).get("__type").asText()).isEqualTo("ValidationException");
        }
    }

    @Test
    void acceptAndDropAnswersWithAnEventIdForAnUnknownBusAsAwsDoes() throws Exception {
        try (LocalEventBus lenient = new LocalEventBus(
                BusTestSupport.fastSettings().withUnknownBusPolicy(UnknownBusPolicy.ACCEPT_AND_DROP),
                List.of("jobs"), List.of(), null, java.time.Clock.systemUTC());
             EventBridgeClient lenientClient = startAndConnect(lenient)) {
            PutEventsResponse response = lenientClient.putEvents(b -> b.entries(
                    entry("nope", "jobs.worker", "JobCompleted", "{}")));

            assertThat(response.failedEntryCount()).isZero();
            assertThat(response.entries().getFirst().eventId()).isNotBlank();
            assertThat(lenient.stats().eventsToUnknownBus()).isEqualTo(1);
            assertThat(lenient.stats().eventsArchived()).isZero();
        }
    }

    private static EventBridgeClient startAndConnect(LocalEventBus localBus) throws Exception {
        localBus.start();
        return BusTestSupport.eventBridge(localBus.endpoint());
    }

}
