package io.jobpipeline.local.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.local.SharedLocalStack;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos soak, small: 240 jobs through a local stack of its own (its functions carry the faults, so it cannot be
 * the shared one) while every fault of {@link ChaosFaults} hits; after the faults stop, the fix and the replays,
 * nothing is lost, nothing applied twice, no consumer misses an event, and the analytics counts equal the truth.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ChaosSoakTest {
    @Test
    void nothingIsLostOrAppliedTwiceWhenAwsMisbehaves() throws Exception {
        ChaosSoak soak = new ChaosSoak(ChaosSettings.suite(240, 8), System.out, JobsDeadLetterReplay.cli());

        ChaosReport report = soak.run(SharedLocalStack.TEMPLATE);
        report.print(System.out);

        assertThat(report.faultThatNeverHit()).as("a fault that never hit proves nothing").isEmpty();
        assertThat(report.poison()).as("poison jobs").isPositive();
        // Every poison job can only complete through the DLQ. Its DEAD_LETTERED mark is written by the last attempt,
        // which the faults may kill or throttle, so the marks are a lower bound and the replayed count the proof.
        assertThat(report.replayed()).as("dead letters replayed").isGreaterThanOrEqualTo(report.poison());
        assertThat(report.findings().deadLettered()).as("jobs marked dead-lettered").isPositive();
        assertThat(report.lost()).as("lost: %s", report.findings().lostExamples()).isZero();
        assertThat(report.appliedTwice()).as("applied twice: %s", report.findings().twiceExamples()).isZero();
        assertThat(report.findings().missing()).as("events missing per consumer").containsOnlyKeys("analytics", "notifications")
                .allSatisfy((consumer, missing) -> assertThat(missing).as(consumer).isZero());
        assertThat(report.findings().expected()).allSatisfy((consumer, expected) -> assertThat(expected).as(consumer).isPositive());
        assertThat(report.analyticsEqualsTruth()).as("analytics vs truth: %s", report.findings().analyticsDiff()).isTrue();
        assertThat(report.findings().completed()).isEqualTo(report.submitted() + report.fixes());
    }
}
