package io.jobpipeline.local.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.local.bus.BusTestSupport.MutableClock;
import io.jobpipeline.local.bus.BusTestSupport.RecordingTarget;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.jobpipeline.local.bus.BusTestSupport.entry;
import static io.jobpipeline.local.bus.BusTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Asynchronous delivery: retries with backoff, dead-letter queues on a real ElasticMQ, archive and replay. */
class LocalEventBusDeliveryTest {

    private static final String COMPLETED = "{\"source\":[\"jobs.worker\"],\"detail-type\":[\"JobCompleted\"]}";
    private static final String RULE_ARN_PREFIX = "arn:aws:events:us-east-1:123456789012:rule/jobs/";

    private static SQSRestServer elasticMq;
    private static SqsClient sqs;
    private LocalEventBus bus;
    private EventBridgeClient client;

    @BeforeAll
    static void startElasticMq() {
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = elasticMq.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.of(BusTestSupport.REGION)).credentialsProvider(BusTestSupport.CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopElasticMq() {
        sqs.close();
        elasticMq.stopAndWait();
    }

    @AfterEach
    void stopBus() {
        if (client != null) {
            client.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    private void startBus(LocalEventBus.Settings settings, List<BusRule> rules, Clock clock, Sleeper sleeper)
            throws Exception {
        bus = new LocalEventBus(settings, List.of("jobs"), rules, sqs, clock, sleeper);
        bus.start();
        client = BusTestSupport.eventBridge(bus.endpoint());
    }

    private String putCompleted(String detail) {
        var response = client.putEvents(b -> b.entries(entry("jobs", "jobs.worker", "JobCompleted", detail)));
        assertThat(response.failedEntryCount()).isZero();
        return response.entries().getFirst().eventId();
    }

    private static String newQueue() {
        return sqs.createQueue(b -> b.queueName("bus-dlq-" + UUID.randomUUID())).queueUrl();
    }

    private static List<Message> receiveAll(String queueUrl) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                .messageAttributeNames("All")).messages();
    }

    private static Map<String, String> attributes(Message message) {
        return message.messageAttributes().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        entry -> entry.getValue().stringValue()));
    }

    @Test
    void aTargetThatAlwaysFailsEndsInTheDeadLetterQueueWithEventBridgesAttributes() throws Exception {
        String dlq = newQueue();
        RecordingTarget broken = RecordingTarget.alwaysFailing();
        startBus(BusTestSupport.fastSettings(), List.of(new BusRule("always-fails", "jobs", COMPLETED,
                EventTarget.withArn("arn:aws:lambda:us-east-1:123456789012:function:notify", broken), 2, 60,
                Optional.of(dlq))), Clock.systemUTC(), Sleeper.system());

        String eventId = putCompleted("{\"jobId\":\"j-dead\"}");
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();

        assertThat(broken.attempts).hasValue(3);
        List<Message> messages = receiveAll(dlq);
        assertThat(messages).hasSize(1);
        JsonNode body = json(messages.getFirst().body());
        assertThat(body.get("id").asText()).isEqualTo(eventId);
        assertThat(body.at("/detail/jobId").asText()).isEqualTo("j-dead");
        assertThat(attributes(messages.getFirst())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "RULE_ARN", RULE_ARN_PREFIX + "always-fails",
                "TARGET_ARN", "arn:aws:lambda:us-east-1:123456789012:function:notify",
                "ERROR_CODE", "ERROR_FROM_TARGET",
                "ERROR_MESSAGE", "IllegalStateException: target down (attempt 3)",
                "EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts",
                "RETRY_ATTEMPTS", "2"));
        assertThat(messages.getFirst().messageAttributes().values()).extracting(MessageAttributeValue::dataType)
                .containsOnly("String");
        BusStats stats = bus.stats();
        assertThat(stats.deadLettered()).isEqualTo(1);
        assertThat(stats.failedAttempts()).isEqualTo(3);
        assertThat(stats.retries()).isEqualTo(2);
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void aTargetThatFailsTwiceThenSucceedsGetsTheEventOnce() throws Exception {
        String dlq = newQueue();
        RecordingTarget flaky = new RecordingTarget(2);
        startBus(BusTestSupport.fastSettings(), List.of(new BusRule("flaky", "jobs", COMPLETED, flaky, 5, 60,
                Optional.of(dlq))), Clock.systemUTC(), Sleeper.system());

        String eventId = putCompleted("{\"jobId\":\"j-flaky\"}");
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();

        assertThat(flaky.attempts).hasValue(3);
        assertThat(flaky.events()).singleElement()
                .satisfies(event -> assertThat(event.get("id").asText()).isEqualTo(eventId));
        assertThat(receiveAll(dlq)).isEmpty();
        assertThat(bus.stats().deliveriesSucceeded()).isEqualTo(1);
        assertThat(bus.stats().retries()).isEqualTo(2);
    }

    @Test
    void retriesBackOffExponentiallyAndStopAtTheMaximumEventAge() throws Exception {
        String dlq = newQueue();
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        var settings = new LocalEventBus.Settings(BusTestSupport.REGION, BusTestSupport.ACCOUNT, "127.0.0.1", 0,
                Duration.ofMillis(100), Duration.ofMillis(300));
        RecordingTarget broken = RecordingTarget.alwaysFailing();
        startBus(settings, List.of(new BusRule("too-old", "jobs", COMPLETED, broken, 185, 1, Optional.of(dlq))),
                clock, clock.sleeper());

        putCompleted("{\"jobId\":\"j-old\"}");
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();

        // 100 + 200 + 300 (capped) + 300 = 900 ms; one more 300 ms wait would pass the 1 s maximum age.
        assertThat(clock.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(300), Duration.ofMillis(300));
        assertThat(broken.attempts).hasValue(5);
        assertThat(receiveAll(dlq)).singleElement().satisfies(message -> assertThat(attributes(message))
                .containsEntry("EXHAUSTED_RETRY_CONDITION", "MaximumEventAgeInSeconds")
                .containsEntry("RETRY_ATTEMPTS", "4"));
    }

    @Test
    void withoutADeadLetterQueueAnExhaustedEventIsDroppedAndCounted() throws Exception {
        RecordingTarget broken = RecordingTarget.alwaysFailing();
        startBus(BusTestSupport.fastSettings(), List.of(new BusRule("no-dlq", "jobs", COMPLETED, broken, 1, 60,
                Optional.empty())), Clock.systemUTC(), Sleeper.system());

        putCompleted("{}");
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();

        assertThat(broken.attempts).hasValue(2);
        assertThat(bus.stats().dropped()).isEqualTo(1);
        assertThat(bus.stats().deadLettered()).isZero();
    }

    @Test
    void replayReDeliversTheArchivedWindowWithAReplayName() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
        RecordingTarget all = new RecordingTarget();
        RecordingTarget liveOnly = new RecordingTarget();
        String liveOnlyPattern = "{\"source\":[\"jobs.worker\"],\"replay-name\":[{\"exists\":false}]}";
        startBus(BusTestSupport.fastSettings(), List.of(new BusRule("all", "jobs", COMPLETED, all),
                new BusRule("live-only", "jobs", liveOnlyPattern, liveOnly)), clock, Sleeper.system());
        String first = putCompleted("{\"n\":1}");
        clock.set(Instant.parse("2026-03-01T10:00:00Z"));
        String second = putCompleted("{\"n\":2}");
        clock.set(Instant.parse("2026-03-01T10:30:00Z"));
        String third = putCompleted("{\"n\":3}");
        clock.set(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(all.received).hasSize(3);
        assertThat(liveOnly.received).hasSize(3);

        ReplayResult result = bus.replay("retry-outage", "jobs", Instant.parse("2026-03-01T10:00:00Z"),
                Instant.parse("2026-03-01T10:30:00Z"));
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();

        assertThat(result.eventsReplayed()).isEqualTo(1);
        assertThat(result.deliveriesScheduled()).isEqualTo(1);
        assertThat(liveOnly.received).hasSize(3);
        JsonNode replayed = all.events().get(3);
        JsonNode original = all.events().stream().filter(e -> e.get("id").asText().equals(second)).findFirst()
                .orElseThrow();
        assertThat(replayed.get("replay-name").asText()).isEqualTo("retry-outage");
        assertThat(BusTestSupport.fieldNames(replayed).getLast()).isEqualTo("replay-name");
        JsonNode withoutReplayName = ((ObjectNode) replayed.deepCopy()).without("replay-name");
        assertThat(withoutReplayName).isEqualTo(original);
        assertThat(List.of(first, third)).doesNotContain(replayed.get("id").asText());

        ReplayResult onlyLiveRule = bus.replay("again", bus.busArn("jobs"), Instant.parse("2026-03-01T08:00:00Z"),
                Instant.parse("2026-03-01T12:00:00Z"), Optional.of("all"));
        assertThat(onlyLiveRule.eventsReplayed()).isEqualTo(3);
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(all.received).hasSize(7);
        assertThatThrownBy(() -> bus.replay("x", "default", Instant.EPOCH, Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bus.replay("x", "jobs", Instant.EPOCH, Instant.now(), Optional.of("missing")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backoffDoublesFromTheFirstDelayUpToTheCap() {
        Duration first = Duration.ofMillis(100);
        Duration cap = Duration.ofSeconds(5);
        List<Duration> delays = List.of(1, 2, 3, 6, 7, 185).stream()
                .map(n -> DeliveryDispatcher.backoff(first, cap, n)).toList();
        assertThat(delays).containsExactly(
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(3200),
                cap, cap);
    }
}
