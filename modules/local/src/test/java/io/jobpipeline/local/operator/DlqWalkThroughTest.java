package io.jobpipeline.local.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's operator walk-through, command by command, against the shared local stack: an inspection of an
 * unregistered vehicle dead-letters, {@code dlq show} says why, the vehicle is registered, {@code dlq replay} moves it
 * back, and the job completes with REPLAYED in its timeline, counted once by analytics. Read-only commands whose
 * output settles (jobs show, dlq list, dlq show) are run again until it matches, as an operator would.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DlqWalkThroughTest {
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Set<String> READ_ONLY = Set.of("jobs show", "dlq list", "dlq show", "stats");

    @Test
    void theReadmeWalkThroughRunsAsShown(@TempDir Path dir) throws Exception {
        LocalPipeline stack = SharedLocalStack.get();
        OperatorCli cli = OperatorCli.shared();
        // The README's operator is alice; here it is whoever runs the tests.
        ReadmeWalkThrough walk = ReadmeWalkThrough.after(Files.readString(Path.of("../../README.md"))
                .replace("  alice  ", "  " + System.getProperty("user.name") + "  "), "## Operating it: dead-letter queues");
        assertThat(walk.steps()).extracting(ReadmeWalkThrough.Step::command).anyMatch(c -> c.startsWith("./pipeline dlq replay"));
        String job = null;
        long completedBefore = -1;
        for (ReadmeWalkThrough.Step step : walk.steps()) {
            List<String> words = ReadmeWalkThrough.words(step.command());
            if (words.get(0).equals("echo")) {
                Files.writeString(dir.resolve(words.get(3)), words.get(1));
                continue;
            }
            assertThat(words.get(0)).as(step.command()).isEqualTo("./pipeline");
            List<String> args = new ArrayList<>();
            for (String w : words.subList(1, words.size())) {
                // The README's example job id stands for the id the first submission printed.
                String arg = job == null ? w : JOB_ID.matcher(w).replaceAll(job);
                args.add(Files.exists(dir.resolve(arg)) ? dir.resolve(arg).toString() : arg);
            }
            if (step.command().contains("dlq replay") && !step.command().contains("--dry-run")) {
                completedBefore = new AnalyticsView(stack).completed("inspection.submit");
            }
            OperatorCli.Run run = runUntilShown(cli, args, step);
            if (job == null && args.size() > 2 && args.get(2).equals("inspection.submit")) {
                job = run.out().strip().split("\\s+")[0];
            }
        }
        assertThat(job).isNotNull();

        // Analytics counted the completion once: one ledger entry for JobCompleted, one more completed inspection.
        String completedEvent = JobEvents.eventId(job, "JobCompleted", 0);
        new AnalyticsView(stack).awaitConsumed(completedEvent);
        assertThat(stack.bus().awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(new AnalyticsView(stack).completed("inspection.submit") - completedBefore).isEqualTo(1);
        JsonNode shown = TestHttp.get(stack.httpEndpoint(), "/jobs/" + job).json();
        assertThat(shown.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(shown.get("timeline").findValuesAsText("event")).containsSubsequence("DEAD_LETTERED", "REPLAYED", "COMPLETED");
    }

    private static OperatorCli.Run runUntilShown(OperatorCli cli, List<String> args, ReadmeWalkThrough.Step step)
            throws InterruptedException {
        boolean readOnly = READ_ONLY.contains(args.get(0) + (args.size() > 1 ? " " + args.get(1) : ""));
        long deadline = System.nanoTime() + Duration.ofSeconds(readOnly ? 30 : 0).toNanos();
        while (true) {
            OperatorCli.Run run = cli.run(args.toArray(String[]::new));
            Pattern missing = ReadmeWalkThrough.unmatched(step.output(), run.lines());
            if (missing == null) {
                return run;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("`" + step.command() + "` printed no line like " + missing + "; it printed (exit "
                        + run.exitCode() + "):\n" + String.join("\n", run.lines()) + "\nstderr:\n" + run.err());
            }
            Thread.sleep(500);
        }
    }
}
