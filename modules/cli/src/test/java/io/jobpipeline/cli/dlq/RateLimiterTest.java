package io.jobpipeline.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.core.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay's rate limit on a clock of its own: sleeping moves the clock, nothing really waits. */
class RateLimiterTest {
    /** A clock that only moves when the limiter sleeps (or the test says so), and the sleeps it was asked for. */
    private static final class FakeTime extends Clock implements Sleeper {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public void sleep(Duration d) {
            sleeps.add(d);
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void fiftyASecondSpacesSendsTwentyMillisecondsApart() throws Exception {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(50, time, time);
        Instant start = time.instant();

        for (int i = 0; i < 1000; i++) {
            limiter.acquire(1);
        }

        // The first goes at once; the other 999 each 20 ms after the one before: 1,000 in 19.98 s.
        assertThat(time.sleeps).hasSize(999).allMatch(d -> d.equals(Duration.ofMillis(20)));
        assertThat(Duration.between(start, time.instant())).isEqualTo(Duration.ofMillis(19_980));
    }

    @Test
    void aBatchTakesItsPermitsAtOnceAndTheNextWaitsForAllOfThem() throws Exception {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(10, time, time);

        limiter.acquire(10);
        limiter.acquire(10);
        limiter.acquire(5);

        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void aPauseDoesNotBuyABurst() throws Exception {
        FakeTime time = new FakeTime();
        RateLimiter limiter = new RateLimiter(2, time, time);
        limiter.acquire(1);
        time.now = time.now.plusSeconds(60); // the caller was slow: a minute passes without a send

        limiter.acquire(1);
        limiter.acquire(1);
        limiter.acquire(1);

        // After the pause the first goes at once, the next ones half a second apart again: no saved-up permits.
        assertThat(time.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void unlimitedNeverSleepsAndARateMustBePositive() throws Exception {
        FakeTime time = new FakeTime();
        RateLimiter unlimited = RateLimiter.unlimited(time);
        for (int i = 0; i < 100; i++) {
            unlimited.acquire(10);
        }
        assertThat(time.instant()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThatThrownBy(() -> new RateLimiter(0, time, time)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(-1, time, time)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(Double.NaN, time, time)).isInstanceOf(IllegalArgumentException.class);
    }
}
