package io.jobpipeline.local.bus;

import io.jobpipeline.local.bus.BusTestSupport.RecordingTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EventBridge pattern features through the endpoint: each row is a rule with one pattern and an event that must or
 * must not reach it. All events are put (in batches of ten) before the rows are checked.
 */
class LocalEventBusPatternTest {

    record Row(String feature, String pattern, String source, String detailType, String detail, boolean matches) {
        @Override
        public String toString() {
            return feature + (matches ? " matches " : " does not match ") + detail;
        }
    }

    private static final String PREFIX = "{\"detail\":{\"jobType\":[{\"prefix\":\"report-\"}]}}";
    private static final String SUFFIX = "{\"detail\":{\"file\":[{\"suffix\":\".png\"}]}}";
    private static final String NUMERIC = "{\"detail\":{\"attempts\":[{\"numeric\":[\">\",0,\"<=\",5]}]}}";
    private static final String ANYTHING_BUT = "{\"detail\":{\"status\":[{\"anything-but\":[\"CANCELLED\",\"FAILED\"]}]}}";
    private static final String EXISTS = "{\"detail\":{\"error\":[{\"exists\":true}]}}";
    private static final String NOT_EXISTS = "{\"source\":[\"jobs.worker\"],\"detail\":{\"error\":[{\"exists\":false}]}}";
    private static final String OR = "{\"source\":[\"jobs.worker\"],\"$or\":[{\"detail\":{\"priority\":[\"HIGH\"]}},"
            + "{\"detail\":{\"attempts\":[{\"numeric\":[\">=\",3]}]}}]}";
    private static final String WILDCARD = "{\"detail\":{\"key\":[{\"wildcard\":\"uploads/*/final.csv\"}]}}";
    private static final String ENVELOPE = "{\"source\":[{\"prefix\":\"jobs.\"}],\"detail-type\":[\"JobFailed\"],"
            + "\"account\":[\"123456789012\"],\"region\":[\"us-east-1\"]}";
    private static final String ARRAY_VALUE = "{\"detail\":{\"tags\":[\"urgent\"]}}";

    static List<Row> rows() {
        return List.of(
                row("prefix", PREFIX, "{\"jobType\":\"report-daily\"}", true),
                row("prefix", PREFIX, "{\"jobType\":\"daily-report\"}", false),
                row("suffix", SUFFIX, "{\"file\":\"thumbs/a.png\"}", true),
                row("suffix", SUFFIX, "{\"file\":\"thumbs/a.png.jpg\"}", false),
                row("numeric range", NUMERIC, "{\"attempts\":3}", true),
                row("numeric range", NUMERIC, "{\"attempts\":5}", true),
                row("numeric range", NUMERIC, "{\"attempts\":0}", false),
                row("numeric range", NUMERIC, "{\"attempts\":5.5}", false),
                row("numeric range", NUMERIC, "{\"attempts\":\"3\"}", false),
                row("anything-but", ANYTHING_BUT, "{\"status\":\"SUCCEEDED\"}", true),
                row("anything-but", ANYTHING_BUT, "{\"status\":\"FAILED\"}", false),
                row("exists true", EXISTS, "{\"error\":\"E1\"}", true),
                // As documented for EventBridge: exists only looks at leaf values, not at objects.
                row("exists true", EXISTS, "{\"error\":{\"code\":\"E1\"}}", false),
                row("exists true", EXISTS, "{\"status\":\"SUCCEEDED\"}", false),
                row("exists false", NOT_EXISTS, "{\"status\":\"SUCCEEDED\"}", true),
                row("exists false", NOT_EXISTS, "{\"error\":\"boom\"}", false),
                row("$or", OR, "{\"priority\":\"HIGH\",\"attempts\":1}", true),
                row("$or", OR, "{\"priority\":\"LOW\",\"attempts\":4}", true),
                row("$or", OR, "{\"priority\":\"LOW\",\"attempts\":1}", false),
                row("wildcard", WILDCARD, "{\"key\":\"uploads/2026/final.csv\"}", true),
                row("wildcard", WILDCARD, "{\"key\":\"uploads/final.txt\"}", false),
                row("array value", ARRAY_VALUE, "{\"tags\":[\"bulk\",\"urgent\"]}", true),
                row("array value", ARRAY_VALUE, "{\"tags\":[\"bulk\"]}", false),
                new Row("envelope fields", ENVELOPE, "jobs.worker", "JobFailed", "{}", true),
                new Row("envelope fields", ENVELOPE, "jobs.worker", "JobCompleted", "{}", false),
                new Row("envelope fields", ENVELOPE, "billing.worker", "JobFailed", "{}", false));
    }

    private static Row row(String feature, String pattern, String detail, boolean matches) {
        return new Row(feature, pattern, "jobs.worker", "JobEvent", detail, matches);
    }

    /** Rule per row, all on one bus; target i keeps what rule i matched. */
    private static final Map<Integer, RecordingTarget> TARGETS = new LinkedHashMap<>();
    private static LocalEventBus bus;

    @BeforeAll
    static void putEveryRowsEvent() throws Exception {
        List<Row> rows = rows();
        List<BusRule> rules = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TARGETS.put(i, new RecordingTarget());
            rules.add(new BusRule("row-" + i, "patterns", rows.get(i).pattern(), TARGETS.get(i)));
        }
        bus = new LocalEventBus(BusTestSupport.fastSettings(), List.of("patterns"), rules, null, Clock.systemUTC());
        bus.start();
        try (EventBridgeClient client = BusTestSupport.eventBridge(bus.endpoint())) {
            List<PutEventsRequestEntry> batch = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                String detail = row.detail().equals("{}") ? "{\"row\":" + i + "}"
                        : row.detail().replaceFirst("^\\{", "{\"row\":" + i + ",");
                batch.add(BusTestSupport.entry("patterns", row.source(), row.detailType(), detail));
                if (batch.size() == 10 || i == rows.size() - 1) {
                    assertThat(client.putEvents(b -> b.entries(batch)).failedEntryCount()).isZero();
                    batch.clear();
                }
            }
        }
        assertThat(bus.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rows")
    void thePatternDecidesDeliveryAsEventBridgeDoes(Row row) {
        int index = rows().indexOf(row);
        boolean delivered = TARGETS.get(index).events().stream()
                .anyMatch(event -> event.at("/detail/row").asInt(-1) == index);
        assertThat(delivered).as(row.toString()).isEqualTo(row.matches());
    }
}
