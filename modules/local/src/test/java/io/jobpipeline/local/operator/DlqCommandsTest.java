package io.jobpipeline.local.operator;

import static io.jobpipeline.local.operator.OwnDeadLetterQueues.DLQ;
import static io.jobpipeline.local.operator.OwnDeadLetterQueues.EVENTS_DLQ;
import static io.jobpipeline.local.operator.OwnDeadLetterQueues.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import io.jobpipeline.local.operator.OwnDeadLetterQueues.DeadJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The dlq commands on queues of their own on the shared local stack: show leaves the messages where they were, a dry
 * run moves nothing, each filter and --max move exactly the messages they select (bodies and attributes as they
 * were), export and import round-trip a queue, an unfiltered replay is SQS's move task, and a consumer DLQ's replay
 * writes REPLAYED into the job's timeline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DlqCommandsTest {
    private final LocalPipeline stack = SharedLocalStack.get();
    @TempDir
    Path dir;

    /** Six dead jobs: two types, errors of two kinds (any case), failed 2 h, 5 min and 30 s ago, and one without a record. */
    private static List<DeadJob> sixDeadJobs() {
        Instant now = Instant.now(); // each run's own: ages are measured from when the jobs are buried
        return List.of(
                new DeadJob(id("j1"), "vehicle.register", "plate B-1 is taken", now.minus(Duration.ofHours(2))),
                new DeadJob(id("j2"), "inspection.submit", "vehicle VAN-1 is not registered", now.minus(Duration.ofHours(2))),
                new DeadJob(id("j3"), "inspection.submit", "Vehicle VAN-2 IS NOT REGISTERED", now.minus(Duration.ofMinutes(5))),
                new DeadJob(id("j4"), "inspection.submit", "timeout reading the vehicle", now.minus(Duration.ofMinutes(5))),
                new DeadJob(id("j5"), "vehicle.register", "timeout", now.minus(Duration.ofSeconds(30))),
                new DeadJob(id("j6"), "inspection.submit", null, null));
    }

    /** Job ids readable in failures: j1 ... j6 with a random rest, new for each run. */
    private static final Map<String, String> IDS = new LinkedHashMap<>();

    private static synchronized String id(String name) {
        return IDS.computeIfAbsent(name, n -> n + UUID.randomUUID().toString().substring(2));
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of(List.of("--type", "inspection.submit"), List.of("j2", "j3", "j4", "j6")),
                Arguments.of(List.of("--job-id", id("j4")), List.of("j4")),
                Arguments.of(List.of("--error-contains", "not registered"), List.of("j2", "j3")),
                Arguments.of(List.of("--older-than", "1h"), List.of("j1", "j2")),
                Arguments.of(List.of("--newer-than", "10m"), List.of("j3", "j4", "j5", "j6")),
                Arguments.of(List.of("--older-than", "1m", "--newer-than", "1h"), List.of("j3", "j4")),
                Arguments.of(List.of("--type", "inspection.submit", "--error-contains", "TIMEOUT"), List.of("j4")),
                Arguments.of(List.of("--type", "no.such.type"), List.of()));
    }

    @ParameterizedTest(name = "dlq replay {0}")
    @MethodSource("filters")
    void eachFilterMovesExactlyTheMessagesItSelects(List<String> filter, List<String> expected) throws Exception {
        OwnDeadLetterQueues queues = new OwnDeadLetterQueues(stack, dir);
        Map<String, Message> sent = new LinkedHashMap<>();
        for (DeadJob job : sixDeadJobs()) {
            sent.put(job.jobId(), queues.bury(job));
        }
        List<String> args = new ArrayList<>(List.of("dlq", "replay", DLQ));
        args.addAll(filter);

        OperatorCli.Run run = queues.cli().run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("moved " + expected.size() + " from " + DLQ + " to " + SOURCE + ", skipped " + (6 - expected.size()));
        List<Message> moved = queues.drain(SOURCE);
        assertThat(OwnDeadLetterQueues.jobIds(moved)).containsExactlyInAnyOrderElementsOf(expected.stream().map(DlqCommandsTest::id).toList());
        for (Message m : moved) {
            Message original = sent.get(m.messageAttributes().get("jobId").stringValue());
            assertThat(m.body()).isEqualTo(original.body());
            assertThat(m.messageAttributes()).isEqualTo(original.messageAttributes());
        }
        // What was passed over is still dead, and visible again at once.
        assertThat(queues.depth(DLQ)).containsExactly(6 - expected.size(), 0);
        List<String> left = OwnDeadLetterQueues.jobIds(queues.drain(DLQ));
        assertThat(left).hasSize(6 - expected.size());
        assertThat(left).noneMatch(OwnDeadLetterQueues.jobIds(moved)::contains);
    }

    @Test
    void maxMovesAtMostThatManyOfTheSelection() throws Exception {
        OwnDeadLetterQueues queues = new OwnDeadLetterQueues(stack, dir);
        sixDeadJobs().forEach(queues::bury);

        OperatorCli.Run all = queues.cli().run("dlq", "replay", DLQ, "--max", "2");
        OperatorCli.Run typed = queues.cli().run("dlq", "replay", DLQ, "--type", "inspection.submit", "--max", "3");

        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).contains("moved 2 from").doesNotContain("move task");
        assertThat(typed.exitCode()).as(typed.err()).isZero();
        assertThat(typed.out()).contains("moved 3 from");
        List<String> moved = OwnDeadLetterQueues.jobIds(queues.drain(SOURCE));
        assertThat(moved).hasSize(5).doesNotHaveDuplicates();
        List<String> left = OwnDeadLetterQueues.jobIds(queues.drain(DLQ));
        assertThat(left).hasSize(1);
        Set<String> everything = new HashSet<>(moved);
        everything.addAll(left);
        assertThat(everything).containsExactlyInAnyOrderElementsOf(sixDeadJobs().stream().map(DeadJob::jobId).toList());
        // The typed replay took inspections only: of the three it moved, none is a vehicle.register.
        assertThat(moved.stream().filter(id -> id.startsWith("j2") || id.startsWith("j3") || id.startsWith("j4") || id.startsWith("j6")))
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void showLeavesTheMessagesInTheQueueVisible() throws Exception {
        OwnDeadLetterQueues queues = new OwnDeadLetterQueues(stack, dir);
        sixDeadJobs().forEach(queues::bury);
        assertThat(queues.depth(DLQ)).containsExactly(6, 0);

        OperatorCli.Run run = queues.cli().run("dlq", "show", DLQ);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(DLQ + ": 6 messages shown").contains(id("j3")).contains("Vehicle VAN-2 IS NOT REGISTERED");
        assertThat(queues.depth(DLQ)).as("visible, in flight").containsExactly(6, 0);
        assertThat(queues.depth(SOURCE)).containsExactly(0, 0);
        assertThat(queues.drain(DLQ)).hasSize(6);
    }

    @Test
    void aDryRunPrintsWhatWouldMoveAndMovesNothing() throws Exception {
        OwnDeadLetterQueues queues = new OwnDeadLetterQueues(stack, dir);
        sixDeadJobs().forEach(queues::bury);

        OperatorCli.Run run = queues.cli().run("dlq", "replay", DLQ, "--type", "inspection.submit", "--dry-run");
        OperatorCli.Run whole = queues.cli().run("dlq", "replay", DLQ, "--dry-run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> wouldMove = run.out().lines().filter(l -> l.startsWith("would move message ")).toList();
        assertThat(wouldMove).hasSize(4).allSatisfy(l -> assertThat(l).contains(" inspection.submit").endsWith(" to " + SOURCE));
        for (String job : List.of("j2", "j3", "j4", "j6")) {
            assertThat(wouldMove).anySatisfy(l -> assertThat(l).contains(" job " + id(job) + " "));
        }
        assertThat(run.out()).contains("would move 4 from " + DLQ + " to " + SOURCE + ", skipped 2");
        assertThat(whole.out()).contains("would move 6 from").doesNotContain("move task");
        assertThat(queues.depth(SOURCE)).containsExactly(0, 0);
        assertThat(queues.depth(DLQ)).containsExactly(6, 0);
    }

    @Test
    void anUnfilteredReplayIsSqsMoveTask() throws Exception {
        OwnDeadLetterQueues queues = new OwnDeadLetterQueues(stack, dir);
        sixDeadJobs().forEach(queues::bury);

        OperatorCli.Run run = queues.cli().run("dlq", "replay", DLQ);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("SQS move task \\S+ COMPLETED").contains("moved 6 from " + DLQ + " to " + SOURCE);
        assertThat(OwnDeadLetterQueues.jobIds(queues.drain(SOURCE)))
                .containsExactlyInAnyOrderElementsOf(sixDeadJobs().stream().map(DeadJob::jobId).toList());
        assertThat(queues.depth(DLQ)).containsExactly(0, 0);
        // The audit names the move task.
        OperatorCli.Run history = queues.cli().run("dlq", "history", "--limit", "5");
        assertThat(history.out().lines().filter(l -> l.contains(DLQ) && l.contains("(move task "))).hasSize(1);
    }

    @Test
    void exportAndImportRoundTripBodiesAndAttributes() throws Exception {
        OwnDeadLetterQueues queues = new OwnDeadLetterQueues(stack, dir);
        Map<String, Message> sent = new LinkedHashMap<>();
        for (DeadJob job : sixDeadJobs()) {
            sent.put(job.jobId(), queues.bury(job));
        }
        Path file = dir.resolve("evidence.jsonl");

        OperatorCli.Run exported = queues.cli().run("dlq", "export", DLQ, file.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(Files.readAllLines(file)).hasSize(6);
        assertThat(queues.depth(DLQ)).as("export consumes nothing").containsExactly(6, 0);
        queues.url("copy"); // the queue to import into exists (import creates none)
        OperatorCli.Run imported = queues.cli().run("dlq", "import", file.toString(), "--to", queues.name("copy"));
        assertThat(imported.exitCode()).as(imported.err()).isZero();

        List<Message> copies = queues.drain("copy");
        assertThat(OwnDeadLetterQueues.jobIds(copies)).containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (Message copy : copies) {
            Message original = sent.get(copy.messageAttributes().get("jobId").stringValue());
            assertThat(copy.body()).isEqualTo(original.body());
            assertThat(copy.messageAttributes()).isEqualTo(original.messageAttributes());
        }
        assertThat(queues.depth(DLQ)).containsExactly(6, 0);
    }

    @Test
    void aConsumerDlqReplayGoesToTheBusAndIntoTheJobsTimeline() throws Exception {
        OwnDeadLetterQueues queues = new OwnDeadLetterQueues(stack, dir);
        DeadJob known = new DeadJob(UUID.randomUUID().toString(), "vehicle.register", "plate taken", Instant.now().minusSeconds(60));
        queues.bury(known);
        queues.drain(DLQ); // the record stays; only its event is dead here
        String unknown = UUID.randomUUID().toString();
        for (String job : List.of(known.jobId(), unknown)) {
            queues.buryEvent(job, "JobFailed", Map.of("eventId", UUID.randomUUID().toString(), "jobId", job,
                    "type", "ops.check-" + queues.tag(), "producer", "ops-test", "attempt", 1, "error", "replayed on purpose",
                    "retryable", false, "failedAt", Instant.now().toString()));
        }

        OperatorCli.Run run = queues.cli().run("dlq", "replay", EVENTS_DLQ);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("moved 2 from " + EVENTS_DLQ + " to bus job-pipeline-jobs");
        assertThat(queues.depth(EVENTS_DLQ)).containsExactly(0, 0);
        Map<String, AttributeValue> record = stack.clients().dynamoDb().getItem(b -> b.tableName("JobsTable").consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS("JOB#" + known.jobId()), "SK", AttributeValue.fromS("JOB")))).item();
        List<Map<String, AttributeValue>> timeline = record.get("timeline").l().stream().map(AttributeValue::m).toList();
        assertThat(timeline).extracting(e -> e.get("event").s()).containsExactly("DEAD_LETTERED", "REPLAYED");
        assertThat(timeline.get(1).get("detail").s()).contains(EVENTS_DLQ + " to bus job-pipeline-jobs (event JobFailed)");
        // The job nobody recorded got no record from the replay.
        assertThat(stack.clients().dynamoDb().getItem(b -> b.tableName("JobsTable").consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS("JOB#" + unknown), "SK", AttributeValue.fromS("JOB")))).hasItem()).isFalse();
        // The analytics consumer got the replayed events off the bus.
        assertThat(stack.bus().awaitIdle(Duration.ofSeconds(20))).isTrue();
        JsonNode counted = TestHttp.get(stack.httpEndpoint(), "/stats").json().path("jobTypes").path("ops.check-" + queues.tag());
        assertThat(counted.path("failed").asLong()).isEqualTo(2);
    }
}
