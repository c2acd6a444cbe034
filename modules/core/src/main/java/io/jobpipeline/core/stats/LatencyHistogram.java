package io.jobpipeline.core.stats;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mergeable latency histogram with fixed logarithmic buckets (the bucket scheme of DDSketch, Masson et al. 2019):
 * bucket {@code k >= 1} holds the latencies in {@code (γ^(k-2), γ^(k-1)]} milliseconds with {@code γ = (1+α)/(1-α)},
 * bucket 0 holds 0 ms. Reporting a bucket's representative value {@code 2γ^(k-1)/(γ+1)} is off by at most α = 2 %
 * from any latency in it, so every percentile is within 2 % of the exact one (plus rounding to whole milliseconds).
 *
 * <p>The buckets are the same for every histogram ever made, so histograms merge by adding bucket counters. That is
 * what makes the DynamoDB form work: one numeric attribute {@code lat_b<k>} per non-empty bucket, incremented with
 * {@code ADD} in the same transaction as the consumer's ledger entry (idempotent per event) and summed over minutes
 * and types when read. Latencies beyond 2^31 ms (24.8 days) land in the last bucket.
 */
public final class LatencyHistogram {
    /** Relative accuracy of every reported value. */
    public static final double RELATIVE_ACCURACY = 0.02;
    /** Prefix of the per-bucket counter attributes in DynamoDB: {@code lat_b0}, {@code lat_b1}, ... */
    public static final String ATTRIBUTE_PREFIX = "lat_b";
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** The last bucket (539): up to about 2^31 ms, and everything beyond. */
    public static final int MAX_BUCKET = 1 + (int) Math.ceil(Math.log(Integer.MAX_VALUE) / LOG_GAMMA);
    private static final Pattern ATTRIBUTE = Pattern.compile(Pattern.quote(ATTRIBUTE_PREFIX) + "(\\d{1,4})");

    private final TreeMap<Integer, Long> buckets = new TreeMap<>();
    private long count;

    public LatencyHistogram() {}

    /** A histogram of these bucket counters (e.g. read back from an item); zero counts are ignored. */
    public static LatencyHistogram ofBuckets(Map<Integer, Long> counters) {
        LatencyHistogram h = new LatencyHistogram();
        counters.forEach(h::add);
        return h;
    }

    /** The bucket a latency falls in; negative latencies (clock skew) count as 0 ms. */
    public static int bucketOf(long millis) {
        if (millis <= 0) {
            return 0;
        }
        int k = 1 + (int) Math.ceil(Math.log(millis) / LOG_GAMMA);
        return Math.min(Math.max(k, 1), MAX_BUCKET);
    }

    /** The value reported for a bucket: within {@link #RELATIVE_ACCURACY} of every latency in it. */
    public static double valueOf(int bucket) {
        if (bucket <= 0) {
            return 0;
        }
        return 2 * Math.pow(GAMMA, bucket - 1) / (GAMMA + 1);
    }

    /** The counter attribute of a bucket, {@code lat_b<k>}. */
    public static String attributeOf(int bucket) {
        return ATTRIBUTE_PREFIX + bucket;
    }

    /** The bucket of a counter attribute name, if it is one. */
    public static Optional<Integer> bucketOfAttribute(String name) {
        Matcher m = ATTRIBUTE.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        int bucket = Integer.parseInt(m.group(1));
        return bucket <= MAX_BUCKET ? Optional.of(bucket) : Optional.empty();
    }

    public LatencyHistogram record(long millis) {
        return add(bucketOf(millis), 1);
    }

    public LatencyHistogram add(int bucket, long n) {
        if (bucket < 0 || bucket > MAX_BUCKET) {
            throw new IllegalArgumentException("bucket must be 0.." + MAX_BUCKET + ", was " + bucket);
        }
        if (n < 0) {
            throw new IllegalArgumentException("a bucket count cannot be negative, was " + n);
        }
        if (n > 0) {
            buckets.merge(bucket, n, Long::sum);
            count += n;
        }
        return this;
    }

    /** Adds the other's counts to this one (the histogram of both sample sets); returns this. */
    public LatencyHistogram merge(LatencyHistogram other) {
        other.buckets.forEach(this::add);
        return this;
    }

    public long count() {
        return count;
    }

    /** Non-empty buckets and their counts, in bucket order. */
    public NavigableMap<Integer, Long> buckets() {
        return Collections.unmodifiableNavigableMap(buckets);
    }

    /**
     * The q-quantile (0 <= q <= 1) in whole milliseconds, by nearest rank: the representative value of the bucket
     * holding the {@code ceil(q * count)}-th smallest sample (the first for q = 0), so that at least a fraction q of
     * the samples are at or below it. Empty when there are no samples.
     */
    public OptionalLong percentile(double q) {
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be 0..1, was " + q);
        }
        if (count == 0) {
            return OptionalLong.empty();
        }
        long rank = Math.max(0, (long) Math.ceil(q * count) - 1); // 0-based
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            seen += bucket.getValue();
            if (seen > rank) {
                return OptionalLong.of(Math.round(valueOf(bucket.getKey())));
            }
        }
        return OptionalLong.of(Math.round(valueOf(buckets.lastKey())));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram other && buckets.equals(other.buckets);
    }

    @Override
    public int hashCode() {
        return buckets.hashCode();
    }

    @Override
    public String toString() {
        return "LatencyHistogram" + buckets;
    }
}
