package io.jobpipeline.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.core.port.ConsumerLedger;
import io.jobpipeline.core.port.ConsumerLedger.CountOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnalyticsHandlerTest {
    /** Applies each eventId once, as the DynamoDB ledger does, and keeps what it applied. */
    private static final class Ledger implements ConsumerLedger {
        final Set<String> seen = new HashSet<>();
        final List<CountOutcome> counted = new ArrayList<>();

        @Override
        public boolean applyOnce(String consumer, String eventId, LedgerEffect effect) {
            if (!seen.add(consumer + "#" + eventId)) {
                return false;
            }
            counted.add((CountOutcome) effect);
            return true;
        }

        @Override
        public boolean applied(String consumer, String eventId) {
            return seen.contains(consumer + "#" + eventId);
        }

        @Override
        public int recordAttempt(RecordDelivery attempt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int deliveryAttempts(String jobId, String eventId) {
            throw new UnsupportedOperationException();
        }
    }

    private final Ledger ledger = new Ledger();
    private final AnalyticsHandler handler = new AnalyticsHandler(ledger);

    @Test
    void countsEachOutcomeInTheMinuteOfItsOwnTimeWithTheLatencyOfCompletions() throws Exception {
        invoke("JobCompleted", "\"eventId\":\"e1\",\"jobId\":\"j1\",\"type\":\"vehicle.register\",\"producer\":\"p\",\"attempt\":1,"
                + "\"acceptedAt\":\"2026-11-22T10:14:59.500Z\",\"completedAt\":\"2026-11-22T10:15:00.730Z\",\"durationMs\":58");
        invoke("JobFailed", "\"eventId\":\"e2\",\"jobId\":\"j2\",\"type\":\"inspection.submit\",\"producer\":\"p\",\"attempt\":1,"
                + "\"error\":\"x\",\"retryable\":true,\"failedAt\":\"2026-11-22T10:16:00Z\"");
        invoke("JobDeadLettered", "\"eventId\":\"e3\",\"jobId\":\"j2\",\"type\":\"inspection.submit\",\"producer\":\"p\",\"attempt\":3,"
                + "\"error\":\"x\",\"deadLetteredAt\":\"2026-11-22T10:17:59Z\"");
        invoke("JobAccepted", "\"eventId\":\"e4\",\"jobId\":\"j4\",\"type\":\"vehicle.register\",\"producer\":\"p\",\"attempt\":0,"
                + "\"acceptedAt\":\"2026-11-22T10:18:00Z\"");

        assertThat(ledger.counted).containsExactly(
                new CountOutcome("vehicle.register", "2026-11-22T10:15", "completed", 1230L),
                new CountOutcome("inspection.submit", "2026-11-22T10:16", "failed", null),
                new CountOutcome("inspection.submit", "2026-11-22T10:17", "deadLettered", null),
                new CountOutcome("vehicle.register", "2026-11-22T10:18", "accepted", null));
    }

    @Test
    void aDuplicateIsCountedOnce() throws Exception {
        String detail = "\"eventId\":\"e1\",\"jobId\":\"j1\",\"type\":\"t\",\"producer\":\"p\",\"attempt\":1,"
                + "\"error\":\"x\",\"retryable\":true,\"failedAt\":\"2026-11-22T10:16:00Z\"";
        invoke("JobFailed", detail);
        invoke("JobFailed", detail);
        assertThat(ledger.counted).hasSize(1);
    }

    @Test
    void aDetailMissingWhatItNeedsFailsTheInvocation() {
        assertThatThrownBy(() -> invoke("JobFailed", "\"jobId\":\"j1\",\"type\":\"t\",\"failedAt\":\"2026-11-22T10:16:00Z\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no eventId");
        assertThatThrownBy(() -> invoke("JobCompleted", "\"eventId\":\"e9\",\"jobId\":\"j1\",\"type\":\"t\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no completedAt");
        assertThat(ledger.counted).isEmpty();
    }

    private void invoke(String detailType, String detail) throws IOException {
        String envelope = "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"" + detailType + "\",\"source\":\"jobs.pipeline\","
                + "\"account\":\"0\",\"time\":\"2026-11-22T10:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{" + detail + "}}";
        handler.handleRequest(new ByteArrayInputStream(envelope.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
    }
}
