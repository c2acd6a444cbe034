package io.jobpipeline.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedeliveryBackoffTest {
    private final RedeliveryBackoff backoff = RedeliveryBackoff.ofSeconds(2, 300);
    private final Random random = new Random(7);

    @Test
    void growsWithTheReceiveCountInItsUpperHalf() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.after(1, random).toSeconds()).isBetween(1L, 2L);
            assertThat(backoff.after(2, random).toSeconds()).isBetween(2L, 4L);
            assertThat(backoff.after(3, random).toSeconds()).isBetween(4L, 8L);
            assertThat(backoff.after(6, random).toSeconds()).isBetween(32L, 64L);
        }
    }

    @Test
    void isCappedAndFitsSqs() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.after(30, random).toSeconds()).isBetween(150L, 300L);
        }
        RedeliveryBackoff huge = new RedeliveryBackoff(Duration.ofHours(1), Duration.ofDays(2));
        assertThat(huge.after(20, random)).isEqualTo(RedeliveryBackoff.SQS_MAX);
    }

    @Test
    void aZeroBaseMeansNoWait() {
        assertThat(RedeliveryBackoff.ofSeconds(0, 0).after(3, random)).isEqualTo(Duration.ZERO);
    }
}
