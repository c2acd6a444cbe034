package io.jobpipeline.core.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the analytics consumer counted for one job type over some minutes: events per outcome, and the processing
 * latency (acceptance to completion) of the completed jobs as a sum and a {@link LatencyHistogram}. Adding two gives
 * the stats of both periods, which is how minutes add up to an hour.
 */
public record JobTypeStats(long accepted, long completed, long failed, long deadLettered, long latencySumMs,
                           LatencyHistogram latency) {
    /** The counter attribute names, which are also the outcome names the analytics consumer counts. */
    public static final String ACCEPTED = "accepted";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String DEAD_LETTERED = "deadLettered";
    public static final String LATENCY_SUM_MS = "latencySumMs";

    public JobTypeStats {
        latency = new LatencyHistogram().merge(latency == null ? new LatencyHistogram() : latency);
    }

    public static JobTypeStats empty() {
        return new JobTypeStats(0, 0, 0, 0, 0, new LatencyHistogram());
    }

    /**
     * Reads the numeric attributes of a stats item: the outcome counters, {@value #LATENCY_SUM_MS} and the histogram's
     * {@code lat_b<k>} buckets; anything else is ignored.
     */
    public static JobTypeStats fromCounters(Map<String, Long> counters) {
        LatencyHistogram latency = new LatencyHistogram();
        counters.forEach((name, value) -> LatencyHistogram.bucketOfAttribute(name).ifPresent(b -> latency.add(b, value)));
        return new JobTypeStats(counters.getOrDefault(ACCEPTED, 0L), counters.getOrDefault(COMPLETED, 0L),
                counters.getOrDefault(FAILED, 0L), counters.getOrDefault(DEAD_LETTERED, 0L),
                counters.getOrDefault(LATENCY_SUM_MS, 0L), latency);
    }

    public JobTypeStats plus(JobTypeStats other) {
        return new JobTypeStats(accepted + other.accepted, completed + other.completed, failed + other.failed,
                deadLettered + other.deadLettered, latencySumMs + other.latencySumMs,
                new LatencyHistogram().merge(latency).merge(other.latency));
    }

    /** Average latency in whole milliseconds; empty without samples. */
    public OptionalLong averageLatencyMs() {
        return latency.count() == 0 ? OptionalLong.empty() : OptionalLong.of(Math.round((double) latencySumMs / latency.count()));
    }

    /**
     * As {@code GET /stats} shows it: the four counts, and {@code latencyMs} with {@code samples}, {@code avg},
     * {@code p50}, {@code p95}, {@code p99} (whole milliseconds) when at least one completion was measured.
     */
    public Map<String, Object> toView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(ACCEPTED, accepted);
        view.put(COMPLETED, completed);
        view.put(FAILED, failed);
        view.put(DEAD_LETTERED, deadLettered);
        if (latency.count() > 0) {
            Map<String, Object> ms = new LinkedHashMap<>();
            ms.put("samples", latency.count());
            ms.put("avg", averageLatencyMs().getAsLong());
            ms.put("p50", latency.percentile(0.50).getAsLong());
            ms.put("p95", latency.percentile(0.95).getAsLong());
            ms.put("p99", latency.percentile(0.99).getAsLong());
            view.put("latencyMs", ms);
        }
        return view;
    }
}
