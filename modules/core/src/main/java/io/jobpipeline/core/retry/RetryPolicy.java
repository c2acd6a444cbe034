package io.jobpipeline.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently to try a call again within one invocation: exponential backoff with full jitter
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"). The wait before retry {@code n} (1 for the first retry) is
 * uniform in {@code [0, min(cap, base * 2^(n-1))]}; {@code maxAttempts} counts the first call too.
 */
public record RetryPolicy(Duration base, Duration cap, int maxAttempts) {
    public RetryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("base and cap must not be negative: " + base + ", " + cap);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("cap " + cap + " is below base " + base);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** One attempt, no retries: for callers whose SDK client retries by itself. */
    public static RetryPolicy none() {
        return new RetryPolicy(Duration.ZERO, Duration.ZERO, 1);
    }

    public static RetryPolicy ofMillis(long baseMillis, long capMillis, int maxAttempts) {
        return new RetryPolicy(Duration.ofMillis(baseMillis), Duration.ofMillis(capMillis), maxAttempts);
    }

    /** {@code min(cap, base * 2^(retry-1))}, without overflowing for any {@code retry >= 1}. */
    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1, was " + retry);
        }
        long baseNanos = base.toNanos();
        long capNanos = cap.toNanos();
        int shift = retry - 1;
        if (baseNanos == 0) {
            return Duration.ZERO;
        }
        if (shift >= 62 || baseNanos > (capNanos >> shift)) {
            return cap;
        }
        return Duration.ofNanos(Math.min(capNanos, baseNanos << shift));
    }

    /** Full jitter: a wait drawn uniformly from zero to {@link #ceiling(int)}, to the millisecond. */
    public Duration backoff(int retry, RandomGenerator random) {
        long ceilingMillis = ceiling(retry).toMillis();
        return ceilingMillis <= 0 ? Duration.ZERO : Duration.ofMillis(random.nextLong(ceilingMillis + 1));
    }
}
