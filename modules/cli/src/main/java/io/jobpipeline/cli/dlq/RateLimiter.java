package io.jobpipeline.cli.dlq;

import io.jobpipeline.core.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * At most {@code perSecond} permits a second, evenly spaced (no bursts after a pause): each permit has a slot
 * {@code 1/perSecond} after the previous one, and {@link #acquire} sleeps until its slot. Clock and sleeping are
 * handed in, so tests run it without waiting.
 */
final class RateLimiter {
    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant next;

    RateLimiter(double perSecond, Clock clock, Sleeper sleeper) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a rate must be positive: " + perSecond);
        }
        this.interval = Duration.ofNanos((long) (1_000_000_000L / perSecond));
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** No limit: acquire never waits. */
    static RateLimiter unlimited(Clock clock) {
        return new RateLimiter(Double.POSITIVE_INFINITY, clock, d -> {});
    }

    /** Waits until {@code permits} more may go. */
    void acquire(int permits) throws InterruptedException {
        Instant now = clock.instant();
        Instant slot = next == null || next.isBefore(now) ? now : next;
        next = slot.plus(interval.multipliedBy(permits));
        Duration wait = Duration.between(now, slot);
        if (wait.isPositive()) {
            sleeper.sleep(wait);
        }
    }
}
