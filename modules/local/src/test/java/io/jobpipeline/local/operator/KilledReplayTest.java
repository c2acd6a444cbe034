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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code dlq replay} killed halfway, then run again: it runs in a child JVM (as ./pipeline does) at one message a
 * second against the shared local stack, is killed with SIGKILL once some but not all of its messages went, and the
 * replay is run again to the end. Every job's message reached JobsQueue at least once (none stayed dead, none was
 * lost), and the idempotent worker and consumers made one completion of each: one COMPLETED entry, counted once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KilledReplayTest {
    private static final int JOBS = 8;
    private static final String HOLD = "3s";

    private final LocalPipeline stack = SharedLocalStack.get();
    private final AnalyticsView analytics = new AnalyticsView(stack);
    private final OperatorCli cli = OperatorCli.shared();

    @Test
    void aReplayKilledHalfwayAndRunAgainLosesNothingAndCompletesEachJobOnce(@TempDir Path dir) throws Exception {
        // Vehicles of this run only: the filter below picks exactly these jobs out of the shared DLQ.
        String tag = "KILL-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            jobs.add(submit("inspection.submit", "{\"vehicleId\":\"" + tag + "-" + i + "\",\"driverId\":\"DRV-1\","
                    + "\"odometerKm\":1000,\"items\":[{\"name\":\"brakes\",\"ok\":true}]}"));
        }
        for (String job : jobs) {
            awaitJob(job, j -> j.path("status").asText().equals("DEAD_LETTERED"), "dead-lettered");
        }
        for (int i = 0; i < JOBS; i++) {
            String vehicle = submit("vehicle.register", "{\"vehicleId\":\"" + tag + "-" + i + "\",\"plate\":\"K " + i + "\",\"model\":\"Van\"}");
            awaitJob(vehicle, j -> j.path("status").asText().equals("COMPLETED"), "registered");
        }
        assertThat(stack.bus().awaitIdle(Duration.ofSeconds(20))).isTrue();
        long completedBefore = analytics.completed("inspection.submit");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.jobpipeline.cli.PipelineCli",
                "dlq", "replay", "JobsDeadLetterQueue", "--error-contains", tag, "--rate", "1", "--hold", HOLD));
        command.addAll(cli.targetOptions());
        Process child = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        long replayed;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                Thread.sleep(100);
                replayed = jobs.stream().filter(this::replayedOnce).count();
                assertThat(child.isAlive()).as("the child replay ended before it was killed: " + Files.readString(dir.resolve("err"))).isTrue();
                assertThat(System.nanoTime()).as("the child replay moved nothing in 60 s").isLessThan(deadline);
            } while (replayed < 2);
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(replayed).as("killed halfway: some jobs replayed, not all").isBetween(2L, (long) JOBS - 1);

        // The message the killed run held (received, maybe sent, not deleted) is visible again after --hold.
        Thread.sleep(Duration.parse("PT" + HOLD).toMillis() + 1_000);
        OperatorCli.Run again = cli.run("dlq", "replay", "JobsDeadLetterQueue", "--error-contains", tag);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("failed 0");

        for (String job : jobs) {
            JsonNode shown = awaitJob(job, j -> j.path("status").asText().equals("COMPLETED"), "completed");
            List<String> timeline = shown.get("timeline").findValuesAsText("event");
            assertThat(timeline).as(job).containsSubsequence("DEAD_LETTERED", "REPLAYED", "COMPLETED");
            assertThat(timeline.stream().filter("COMPLETED"::equals)).as(job + ": one completion").hasSize(1);
            analytics.awaitConsumed(JobEvents.eventId(job, "JobCompleted", 0));
        }
        // Nothing of this run is dead any more: a dry run finds none of it.
        OperatorCli.Run left = cli.run("dlq", "replay", "JobsDeadLetterQueue", "--error-contains", tag, "--dry-run", "--hold", HOLD);
        assertThat(left.out()).contains("would move 0 from JobsDeadLetterQueue");
        assertThat(stack.bus().awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(analytics.completed("inspection.submit") - completedBefore).as("analytics counted each job once").isEqualTo(JOBS);
    }

    private boolean replayedOnce(String job) {
        return TestHttp.get(stack.httpEndpoint(), "/jobs/" + job).json().path("timeline").findValuesAsText("event").contains("REPLAYED");
    }

    private String submit(String type, String payload) {
        TestHttp.Response response = TestHttp.postJson(stack.httpEndpoint(), "/jobs", "{\"type\":\"" + type + "\",\"payload\":" + payload + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("jobId").asText();
    }

    private JsonNode awaitJob(String job, Predicate<JsonNode> done, String what) throws InterruptedException {
        TestHttp.Response last = TestHttp.await(stack.httpEndpoint(), "/jobs/" + job, r -> done.test(r.json()), Duration.ofSeconds(60));
        assertThat(done.test(last.json())).as(job + " " + what + ": " + last.body()).isTrue();
        return last.json();
    }
}
