package io.jobpipeline.intake;

import io.jobpipeline.core.port.StatsReader;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /stats}: the analytics consumer's counts of the last hour, per job type. */
final class StatsView {
    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

    private final StatsReader reader;
    private final Clock clock;

    StatsView(StatsReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    Map<String, Object> lastHour() throws StoreUnavailable {
        var now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        String from = MINUTE.format(now.minus(59, ChronoUnit.MINUTES));
        String to = MINUTE.format(now);
        Map<String, Object> types = new TreeMap<>();
        for (String type : reader.jobTypes()) {
            Map<String, Long> totals = new TreeMap<>();
            List<StatsReader.MinuteCounts> minutes = reader.counts(type, from, to);
            for (StatsReader.MinuteCounts m : minutes) {
                m.counts().forEach((k, v) -> totals.merge(k, v, Long::sum));
            }
            types.put(type, totals);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("jobTypes", types);
        return body;
    }
}
