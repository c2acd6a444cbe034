package io.jobpipeline.local.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What a chaos soak found, and how it prints. */
public record ChaosReport(ChaosSettings settings, int submitted, int poison, int fixes, ChaosAudit.Findings findings, long replayed,
                   String replayedBy, Map<String, Integer> republished, String faultsInjected, Optional<String> faultThatNeverHit,
                   Duration wallTime) {

    public int lost() {
        return findings.notCompleted();
    }

    public int appliedTwice() {
        return findings.appliedTwice();
    }

    public int missingEvents() {
        return findings.missing().values().stream().mapToInt(Integer::intValue).sum();
    }

    public boolean analyticsEqualsTruth() {
        return findings.analyticsMatch();
    }

    /** Nothing lost, nothing applied twice, no event missing, analytics equal to the truth, every fault fired. */
    public boolean clean() {
        return lost() == 0 && appliedTwice() == 0 && missingEvents() == 0 && analyticsEqualsTruth() && faultThatNeverHit.isEmpty();
    }

    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "chaos soak, seed %d: %s%n", settings.seed(), settings.describe());
        out.printf(Locale.ROOT, "faults injected:        %s%n", faultsInjected);
        faultThatNeverHit.ifPresent(f -> out.printf("WARNING: this fault never hit: %s%n", f));
        out.printf(Locale.ROOT, "jobs submitted:         %d (%d of them poison), then %d vehicle registrations that fix the poison%n",
                submitted, poison, fixes);
        out.printf(Locale.ROOT, "completed:              %d of %d%n", findings.completed(), submitted + fixes);
        out.printf(Locale.ROOT, "dead-lettered:          %d jobs (poison and jobs whose receives the faults used up)%n",
                findings.deadLettered());
        out.printf(Locale.ROOT, "replayed:               %d messages from JobsDeadLetterQueue (%s)%n", replayed, replayedBy);
        out.printf(Locale.ROOT, "consumer DLQs replayed: %s events put on the bus again%n", republished);
        out.printf(Locale.ROOT, "lost:                   %d%s%n", lost(), examples(findings.lostExamples()));
        out.printf(Locale.ROOT, "applied twice:          %d%s%n", appliedTwice(), examples(findings.twiceExamples()));
        out.printf(Locale.ROOT, "                        (%d completions committed whose answer was lost to a timeout: each one "
                + "COMPLETED once in its timeline, its entity written by it)%n", findings.unansweredCompletions());
        StringBuilder missing = new StringBuilder();
        findings.missing().forEach((consumer, n) -> missing.append(missing.isEmpty() ? "" : ", ").append(consumer).append(' ')
                .append(n).append(" of ").append(findings.expected().get(consumer)));
        out.printf(Locale.ROOT, "events missing:         %s%s%n", missing, examples(findings.missingExamples()));
        out.printf(Locale.ROOT, "analytics = truth:      %s%s%n", analyticsEqualsTruth() ? "yes" : "no",
                analyticsEqualsTruth() ? "" : " " + findings.analyticsDiff());
        out.printf(Locale.ROOT, "wall time:              %.1f s%n", wallTime.toMillis() / 1000.0);
    }

    private static String examples(List<String> examples) {
        return examples.isEmpty() ? "" : " e.g. " + examples;
    }
}
