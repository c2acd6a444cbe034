package io.jobpipeline.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.ofMillis(50, 1000, 6);

    @Test
    void theCeilingDoublesFromBaseUpToCap() {
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.ceiling(5)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.ceiling(6)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.ceiling(64)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void fullJitterDrawsFromZeroToTheCeiling() {
        Random random = new Random(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long wait = policy.backoff(3, random).toMillis();
            assertThat(wait).isBetween(0L, 200L);
            min = Math.min(min, wait);
            max = Math.max(max, wait);
        }
        // spread over the whole range, not bunched at the ceiling
        assertThat(min).isLessThan(20);
        assertThat(max).isGreaterThan(180);
    }

    @Test
    void noneTriesOnceAndNeverWaits() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.none().backoff(3, new Random(1))).isEqualTo(Duration.ZERO);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> RetryPolicy.ofMillis(100, 50, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.ofMillis(10, 50, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.ceiling(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
