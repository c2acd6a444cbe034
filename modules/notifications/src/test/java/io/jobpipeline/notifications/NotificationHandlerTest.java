package io.jobpipeline.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.port.ConsumerLedger.RecordDelivery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NotificationHandlerTest {
    private static final String MASTER = "a-master-secret-that-is-long-enough-0123";
    private static final String SECRET = WebhookSignature.producerSecret(MASTER, "fleet-app");

    private final InMemoryLedger ledger = new InMemoryLedger();
    private final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final List<Map<String, String>> received = Collections.synchronizedList(new ArrayList<>());
    private HttpServer receiver;
    private NotificationHandler handler;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var h = exchange.getRequestHeaders();
            received.add(Map.of("id", h.getFirst("webhook-id"), "timestamp", h.getFirst("webhook-timestamp"),
                    "signature", h.getFirst("webhook-signature"), "body", body, "contentType", h.getFirst("content-type")));
            int status;
            synchronized (answers) {
                status = answers.isEmpty() ? 204 : answers.removeFirst();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        handler = new NotificationHandler(ledger, new CallbackPolicy(true), MASTER,
                new NotificationHandler.Retry(3, Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(2)),
                Clock.systemUTC(), slept::add);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    @Test
    void deliversASignedWebhookAndRecordsItOnce() throws Exception {
        Map<String, Object> detail = completed(url("/ok"));
        String envelope = envelope("JobCompleted", detail, null);

        invoke(envelope);

        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.get("id")).isEqualTo(detail.get("eventId"));
            assertThat(r.get("body")).isEqualTo(envelope);
            assertThat(r.get("contentType")).isEqualTo("application/json");
            assertThat(WebhookSignature.verify(SECRET, r.get("id"), r.get("timestamp"), r.get("body"), r.get("signature"))).isTrue();
            // Another producer's secret does not verify it.
            assertThat(WebhookSignature.verify(WebhookSignature.producerSecret(MASTER, "other"), r.get("id"),
                    r.get("timestamp"), r.get("body"), r.get("signature"))).isFalse();
        });
        assertThat(ledger.deliveries(eventId(detail))).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo("DELIVERED");
            assertThat(d.status()).isEqualTo(204);
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.url()).isEqualTo(url("/ok"));
        });
        assertThat(ledger.applied("notifications", eventId(detail))).isTrue();
    }

    @Test
    void retriesServerErrorsWithExponentialBackoffAndRecordsEveryAttempt() throws Exception {
        answers.addAll(List.of(503, 500));
        Map<String, Object> detail = completed(url("/flaky"));

        invoke(envelope("JobCompleted", detail, null));

        assertThat(received).hasSize(3).extracting(r -> r.get("id")).containsOnly(eventId(detail));
        assertThat(ledger.deliveries(eventId(detail))).extracting(RecordDelivery::outcome, RecordDelivery::status, RecordDelivery::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FAILED", 503, 1), org.assertj.core.groups.Tuple.tuple("FAILED", 500, 2),
                        org.assertj.core.groups.Tuple.tuple("DELIVERED", 204, 3));
        assertThat(slept).hasSize(2);
        assertThat(slept.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(150));
        assertThat(slept.get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(300));
    }

    @Test
    void failsTheInvocationWhenTheTriesAreSpentAndNumbersTheNextInvocationsAttemptsOn() throws Exception {
        answers.addAll(List.of(500, 502, 429));
        Map<String, Object> detail = completed(url("/down"));
        String envelope = envelope("JobCompleted", detail, null);

        assertThatThrownBy(() -> invoke(envelope)).isInstanceOf(IOException.class).hasMessageContaining("not delivered");
        assertThat(ledger.applied("notifications", eventId(detail))).isFalse();

        invoke(envelope); // the retried invocation
        assertThat(ledger.deliveries(eventId(detail))).extracting(RecordDelivery::attempt).containsExactly(1, 2, 3, 4);
        assertThat(ledger.deliveries(eventId(detail)).get(3).outcome()).isEqualTo("DELIVERED");
    }

    @Test
    void connectionErrorsAreRetriedToo() throws Exception {
        receiver.stop(0);
        Map<String, Object> detail = completed("http://127.0.0.1:" + receiver.getAddress().getPort() + "/gone");

        assertThatThrownBy(() -> invoke(envelope("JobCompleted", detail, null))).isInstanceOf(IOException.class);
        assertThat(ledger.deliveries(eventId(detail))).hasSize(3).extracting(RecordDelivery::outcome).containsOnly("UNREACHABLE");
    }

    @Test
    void aClientErrorIsRecordedAndNotRetried() throws Exception {
        answers.add(410);
        Map<String, Object> detail = completed(url("/gone"));

        invoke(envelope("JobCompleted", detail, null));

        assertThat(received).hasSize(1);
        assertThat(ledger.deliveries(eventId(detail))).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo("REJECTED");
            assertThat(d.status()).isEqualTo(410);
        });
        assertThat(ledger.applied("notifications", eventId(detail))).isFalse();
    }

    @Test
    void aDuplicateOrReplayedEventIsNotSentAgain() throws Exception {
        Map<String, Object> detail = completed(url("/once"));
        invoke(envelope("JobCompleted", detail, null));
        invoke(envelope("JobCompleted", detail, null));
        invoke(envelope("JobCompleted", detail, "replay-1"));

        assertThat(received).hasSize(1);
        assertThat(ledger.deliveries(eventId(detail))).hasSize(1);
    }

    @Test
    void aReplayDeliversWhatWasNeverDeliveredAndSaysSo() throws Exception {
        answers.add(404);
        Map<String, Object> detail = completed(url("/later"));
        invoke(envelope("JobCompleted", detail, null));
        invoke(envelope("JobCompleted", detail, "after-the-fix"));

        assertThat(ledger.deliveries(eventId(detail))).extracting(RecordDelivery::outcome, RecordDelivery::replayName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("REJECTED", null),
                        org.assertj.core.groups.Tuple.tuple("DELIVERED", "after-the-fix"));
    }

    @Test
    void aFailureWithoutCallbackIsRecordedAsNoCallback() throws Exception {
        Map<String, Object> detail = base();
        detail.put("error", "boom");
        detail.put("retryable", false);
        detail.put("failedAt", "2026-11-22T10:00:00Z");

        invoke(envelope("JobFailed", detail, null));
        invoke(envelope("JobFailed", detail, null));

        assertThat(received).isEmpty();
        assertThat(ledger.deliveries(eventId(detail))).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo("NO_CALLBACK");
            assertThat(d.url()).isEqualTo("none");
        });
    }

    @Test
    void aRefusedCallbackIsRecordedWithTheReason() throws Exception {
        NotificationHandler strict = new NotificationHandler(ledger, new CallbackPolicy(false), MASTER,
                NotificationHandler.Retry.DEFAULT, Clock.systemUTC(), slept::add);
        Map<String, Object> detail = completed(url("/local"));

        strict.handleRequest(in(envelope("JobCompleted", detail, null)), new ByteArrayOutputStream(), null);

        assertThat(received).isEmpty();
        assertThat(ledger.deliveries(eventId(detail))).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo("REFUSED");
            assertThat(d.detail()).contains("loopback");
        });
    }

    @Test
    void aDetailWithoutEventIdFailsTheInvocation() {
        Map<String, Object> detail = completed(url("/x"));
        detail.remove("eventId");
        assertThatThrownBy(() -> invoke(envelope("JobCompleted", detail, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detail has no eventId");
        assertThat(received).isEmpty();
    }

    @Test
    void otherSourcesAreIgnored() throws Exception {
        String envelope = envelope("JobCompleted", completed(url("/x")), null).replace("\"jobs.pipeline\"", "\"someone.else\"");
        invoke(envelope);
        assertThat(received).isEmpty();
        assertThat(ledger.deliveries).isEmpty();
    }

    private void invoke(String envelope) throws IOException {
        handler.handleRequest(in(envelope), new ByteArrayOutputStream(), null);
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static String eventId(Map<String, Object> detail) {
        return (String) detail.get("eventId");
    }

    private static Map<String, Object> base() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventId", UUID.randomUUID().toString());
        detail.put("jobId", UUID.randomUUID().toString());
        detail.put("type", "vehicle.register");
        detail.put("producer", "fleet-app");
        detail.put("attempt", 1);
        return detail;
    }

    private static Map<String, Object> completed(String callbackUrl) {
        Map<String, Object> detail = base();
        detail.put("callbackUrl", callbackUrl);
        detail.put("acceptedAt", "2026-11-22T10:00:00Z");
        detail.put("completedAt", "2026-11-22T10:00:01Z");
        detail.put("durationMs", 12);
        return detail;
    }

    private static String envelope(String detailType, Map<String, Object> detail, String replayName) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("version", "0");
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("detail-type", detailType);
        envelope.put("source", "jobs.pipeline");
        envelope.put("account", "000000000000");
        envelope.put("time", "2026-11-22T10:00:01Z");
        envelope.put("region", "us-east-1");
        envelope.put("resources", List.of());
        envelope.put("detail", detail);
        if (replayName != null) {
            envelope.put("replay-name", replayName);
        }
        return Json.write(envelope);
    }
}
