package io.jobpipeline.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.core.stats.JobTypeStats;
import io.jobpipeline.core.stats.LatencyHistogram;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The mergeable histogram behind the p50/p95/p99 of {@code GET /stats}. */
class LatencyHistogramTest {
    private static final double[] QUANTILES = {0.5, 0.95, 0.99};

    @Test
    void everyLatencyIsWithinTheRelativeAccuracyOfItsBucketsValue() {
        for (long ms = 1; ms < 5_000_000; ms = ms < 2000 ? ms + 1 : ms * 1013 / 1000) {
            double reported = LatencyHistogram.valueOf(LatencyHistogram.bucketOf(ms));
            assertThat(Math.abs(reported - ms) / ms).as("%d ms reported as %f", ms, reported)
                    .isLessThanOrEqualTo(LatencyHistogram.RELATIVE_ACCURACY + 1e-9);
        }
        assertThat(LatencyHistogram.bucketOf(0)).isZero();
        assertThat(LatencyHistogram.bucketOf(-5)).isZero();
        assertThat(LatencyHistogram.valueOf(0)).isZero();
        assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.MAX_BUCKET);
    }

    @Test
    void percentilesOfSkewedLatenciesAreWithinTwoPercentOfTheExactOnes() {
        Random random = new Random(42);
        for (int run = 0; run < 20; run++) {
            int n = 1 + random.nextInt(5000);
            double median = 5 + random.nextInt(2000);
            long[] samples = LongStream.range(0, n)
                    .map(i -> Math.round(median * Math.exp(random.nextGaussian() * 1.2))).toArray();
            LatencyHistogram h = new LatencyHistogram();
            Arrays.stream(samples).forEach(h::record);
            Arrays.sort(samples);
            for (double q : QUANTILES) {
                long exact = samples[Math.max(0, (int) Math.ceil(q * n) - 1)]; // nearest rank
                long estimate = h.percentile(q).getAsLong();
                // Within the bucket error, plus rounding to whole milliseconds.
                assertThat((double) estimate).as("p%s of %d samples", q * 100, n)
                        .isCloseTo(exact, org.assertj.core.data.Offset.offset(exact * LatencyHistogram.RELATIVE_ACCURACY + 0.5));
            }
        }
    }

    @Test
    void mergingIsRecordingBoth() {
        Random random = new Random(7);
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        LatencyHistogram both = new LatencyHistogram();
        for (int i = 0; i < 3000; i++) {
            long sample = (long) (random.nextDouble() * random.nextDouble() * 60_000);
            (i % 3 == 0 ? a : b).record(sample);
            both.record(sample);
        }
        LatencyHistogram merged = new LatencyHistogram().merge(a).merge(b);
        assertThat(merged).isEqualTo(both);
        assertThat(merged.count()).isEqualTo(3000);
        for (double q : QUANTILES) {
            assertThat(merged.percentile(q)).isEqualTo(both.percentile(q));
        }
        // Order does not matter: minutes may be summed in any order.
        assertThat(new LatencyHistogram().merge(b).merge(a)).isEqualTo(merged);
    }

    @Test
    void knownSamplesGiveKnownPercentiles() {
        LatencyHistogram h = new LatencyHistogram();
        LongStream.rangeClosed(1, 100).forEach(ms -> h.record(ms * 10)); // 10, 20, ..., 1000 ms
        assertThat(h.percentile(0.50).getAsLong()).isCloseTo(500, org.assertj.core.data.Offset.offset(11L));
        assertThat(h.percentile(0.95).getAsLong()).isCloseTo(950, org.assertj.core.data.Offset.offset(20L));
        assertThat(h.percentile(0.99).getAsLong()).isCloseTo(990, org.assertj.core.data.Offset.offset(20L));
        assertThat(h.percentile(0).getAsLong()).isCloseTo(10, org.assertj.core.data.Offset.offset(1L));
        assertThat(h.percentile(1).getAsLong()).isCloseTo(1000, org.assertj.core.data.Offset.offset(20L));
        assertThat(new LatencyHistogram().percentile(0.5)).isEmpty();
        assertThatThrownBy(() -> h.percentile(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bucketsRoundTripThroughTheirItemAttributes() {
        LatencyHistogram h = new LatencyHistogram().record(0).record(3).record(250).record(250).record(86_400_000);
        Map<String, Long> item = new HashMap<>();
        h.buckets().forEach((bucket, count) -> item.put(LatencyHistogram.attributeOf(bucket), count));
        item.put("completed", 5L);
        item.put("latencySumMs", 86_400_503L);
        item.put("lat_bogus", 9L);
        item.put("lat_b99999", 9L);

        JobTypeStats stats = JobTypeStats.fromCounters(item);
        assertThat(stats.latency()).isEqualTo(h);
        assertThat(stats.completed()).isEqualTo(5);
        assertThat(stats.averageLatencyMs()).hasValue(Math.round(86_400_503 / 5.0));
        assertThat(LatencyHistogram.bucketOfAttribute("lat_b12")).contains(12);
        assertThat(LatencyHistogram.bucketOfAttribute("latencySumMs")).isEmpty();
    }

    @Test
    void statsOfMinutesAddUpToTheWindow() {
        JobTypeStats first = new JobTypeStats(1, 2, 0, 0, 300, new LatencyHistogram().record(100).record(200));
        JobTypeStats second = new JobTypeStats(0, 1, 3, 1, 4000, new LatencyHistogram().record(4000));
        JobTypeStats sum = JobTypeStats.empty().plus(first).plus(second);

        assertThat(sum.accepted()).isEqualTo(1);
        assertThat(sum.completed()).isEqualTo(3);
        assertThat(sum.failed()).isEqualTo(3);
        assertThat(sum.deadLettered()).isEqualTo(1);
        assertThat(sum.latency().count()).isEqualTo(3);
        Map<String, Object> view = sum.toView();
        assertThat(view).containsEntry("completed", 3L).containsKey("latencyMs");
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) view.get("latencyMs");
        assertThat(latency).containsEntry("samples", 3L).containsEntry("avg", 1433L).containsKeys("p50", "p95", "p99");
        assertThat((Long) latency.get("p50")).isCloseTo(200L, org.assertj.core.data.Offset.offset(4L));
        assertThat((Long) latency.get("p99")).isCloseTo(4000L, org.assertj.core.data.Offset.offset(80L));
        // Adding did not change the parts.
        assertThat(first.latency().count()).isEqualTo(2);
        assertThat(JobTypeStats.empty().toView()).doesNotContainKey("latencyMs");
    }
}
