package io.jobpipeline.intake;

import io.jobpipeline.core.port.StatsReader;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.stats.JobTypeStats;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /stats}: what the analytics consumer counted in the last hour (the current minute and the 59 before it,
 * UTC), per job type: {@code accepted}, {@code completed}, {@code failed}, {@code deadLettered}, and for completed jobs
 * {@code latencyMs} ({@code samples}, {@code avg}, {@code p50}, {@code p95}, {@code p99}: acceptance to completion,
 * whole milliseconds, percentiles within 2 %). The minutes' latency histograms are merged, not their percentiles.
 */
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
            List<StatsReader.MinuteStats> minutes = reader.minutes(type, from, to);
            if (minutes.isEmpty()) {
                continue; // nothing of this type in the last hour
            }
            JobTypeStats total = JobTypeStats.empty();
            for (StatsReader.MinuteStats minute : minutes) {
                total = total.plus(minute.stats());
            }
            types.put(type, total.toView());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        body.put("to", to);
        body.put("jobTypes", types);
        return body;
    }
}
