package io.jobpipeline.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a failed message stays invisible before its next delivery: {@code base * 2^(receiveCount-1)}, at most
 * {@code cap}, with "equal jitter" (the upper half drawn at random) so the wait really grows from one delivery to the
 * next while failures of one burst still spread out. Whole seconds, as SQS's visibility timeout takes them.
 */
public record RedeliveryBackoff(Duration base, Duration cap) {
    /** SQS's largest visibility timeout: 12 hours. */
    public static final Duration SQS_MAX = Duration.ofHours(12);

    public RedeliveryBackoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 <= base <= cap, got " + base + " and " + cap);
        }
    }

    public static RedeliveryBackoff ofSeconds(long base, long cap) {
        return new RedeliveryBackoff(Duration.ofSeconds(base), Duration.ofSeconds(cap));
    }

    /** The visibility timeout for a message that failed on its {@code receiveCount}-th delivery. */
    public Duration after(int receiveCount, RandomGenerator random) {
        Duration ceiling = new RetryPolicy(base, cap, 1).ceiling(Math.max(1, receiveCount));
        long ceilingMillis = ceiling.toMillis();
        long half = ceilingMillis / 2;
        long millis = (ceilingMillis - half) + (half == 0 ? 0 : random.nextLong(half + 1));
        long seconds = (millis + 999) / 1000;
        return Duration.ofSeconds(Math.min(seconds, SQS_MAX.toSeconds()));
    }
}
