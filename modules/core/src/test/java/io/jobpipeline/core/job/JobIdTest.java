package io.jobpipeline.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobIdTest {
    private static final Instant T0 = Instant.parse("2025-06-01T10:15:30.123Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @Test
    void isAWellFormedVersion7Uuid() {
        for (int i = 0; i < 1_000; i++) {
            JobId id = JobId.next(CLOCK);
            UUID uuid = UUID.fromString(id.value());

            assertThat(id.value()).hasSize(36).isLowerCase().isEqualTo(uuid.toString());
            assertThat(JobId.isWellFormed(id.value())).isTrue();
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(id.value().charAt(14)).isEqualTo('7');
            assertThat(uuid.variant()).isEqualTo(2); // the bits 10: RFC 9562
            assertThat(id.value().charAt(19)).isIn('8', '9', 'a', 'b');
        }
    }

    @Test
    void carriesTheClocksMillisecondsInTheFirst48Bits() {
        UUID uuid = UUID.fromString(JobId.next(CLOCK).value());

        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void sortsByTheClocksTime() {
        List<String> drawn = new ArrayList<>();
        List<Duration> offsets = List.of(Duration.ofDays(400), Duration.ofMillis(1), Duration.ofSeconds(3),
                Duration.ZERO.minusMillis(1), Duration.ofHours(2), Duration.ZERO, Duration.ofMillis(2));
        for (Duration offset : offsets) {
            drawn.add(JobId.next(Clock.offset(CLOCK, offset)).value());
        }

        List<String> byTime = new ArrayList<>(drawn);
        byTime.sort((a, b) -> Long.compare(
                UUID.fromString(a).getMostSignificantBits() >>> 16, UUID.fromString(b).getMostSignificantBits() >>> 16));
        List<String> byString = new ArrayList<>(drawn);
        Collections.sort(byString);

        assertThat(byString).isEqualTo(byTime);
        assertThat(byString.getFirst()).isEqualTo(drawn.get(3)); // -1 ms
        assertThat(byString.getLast()).isEqualTo(drawn.get(0)); // +400 days
    }

    @Test
    void aLaterMillisecondAlwaysSortsAfter() {
        for (int i = 0; i < 1_000; i++) {
            String earlier = JobId.next(CLOCK).value();
            String later = JobId.next(Clock.offset(CLOCK, Duration.ofMillis(1))).value();
            assertThat(later).isGreaterThan(earlier);
        }
    }

    @Test
    void isUniqueOverTenThousandDrawsInTheSameMillisecond() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(JobId.next(CLOCK).value());
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void rejectsWhatIsNotAnId() {
        assertThat(JobId.isWellFormed(null)).isFalse();
        assertThat(JobId.isWellFormed("0190a6c2-6b1e-7abc-8def-0123456789AB")).isFalse();
        assertThat(JobId.isWellFormed("../../etc/passwd")).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new JobId("nope"));
        assertThatIllegalArgumentException().isThrownBy(() -> new JobId(null));
    }
}
