package io.jobpipeline.local.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Shared pieces of the bus tests: SDK clients, recording targets and a clock tests can move. */
final class BusTestSupport {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    static final ObjectMapper JSON = new ObjectMapper();
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private BusTestSupport() {
    }

    /** Tiny retry delays so failing targets settle in milliseconds. */
    static LocalEventBus.Settings fastSettings() {
        return new LocalEventBus.Settings(REGION, ACCOUNT, "127.0.0.1", 0, Duration.ofMillis(2), Duration.ofMillis(10));
    }

    static EventBridgeClient eventBridge(URI endpoint) {
        return EventBridgeClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static PutEventsRequestEntry entry(String bus, String source, String detailType, String detail) {
        return PutEventsRequestEntry.builder().eventBusName(bus).source(source).detailType(detailType).detail(detail)
                .build();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Keeps every event it is given, and can be told to fail its first {@code failures} invocations. */
    static final class RecordingTarget implements EventTarget {
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();
        private final int failures;

        RecordingTarget() {
            this(0);
        }

        RecordingTarget(int failures) {
            this.failures = failures;
        }

        static RecordingTarget alwaysFailing() {
            return new RecordingTarget(Integer.MAX_VALUE);
        }

        @Override
        public void deliver(String eventJson) {
            if (attempts.incrementAndGet() <= failures) {
                throw new IllegalStateException("target down (attempt " + attempts.get() + ")");
            }
            received.add(eventJson);
        }

        List<JsonNode> events() {
            return received.stream().map(BusTestSupport::json).toList();
        }
    }

    /** A clock that only moves when told to; its {@link #sleeper()} advances it instead of sleeping. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        MutableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        Sleeper sleeper() {
            return duration -> {
                sleeps.add(duration);
                advance(duration);
            };
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
