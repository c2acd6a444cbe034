package io.jobpipeline.local.operator;

import static io.jobpipeline.local.operator.OwnDeadLetterQueues.DLQ;
import static io.jobpipeline.local.operator.OwnDeadLetterQueues.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.operator.OwnDeadLetterQueues.DeadJob;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad usage is refused with one line and exit 2 before any call; an endpoint that does not answer, or a destination
 * that does not exist, is one line and exit 1. Either way nothing moved: the dead-letter queue and its source hold
 * what they held, none of it left in flight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DlqBadUsageTest {
    private static final String CLOSED = "http://127.0.0.1:1";
    private OwnDeadLetterQueues queues;

    @BeforeAll
    void deadJobs(@TempDir Path dir) throws Exception {
        queues = new OwnDeadLetterQueues(SharedLocalStack.get(), dir);
        queues.bury(new DeadJob(UUID.randomUUID().toString(), "inspection.submit", "vehicle VAN-9 is not registered", Instant.now()));
        queues.bury(new DeadJob(UUID.randomUUID().toString(), "vehicle.register", "plate taken", Instant.now()));
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                Arguments.of(List.of("dlq", "replay", "FooQueue"), 2, "error: no queue FooQueue in stack job-pipeline; dlq list shows the queues"),
                Arguments.of(List.of("dlq", "show", "FooQueue"), 2, "error: no queue FooQueue in stack job-pipeline"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--older-than", "yesterday"), 2,
                        "error: --older-than must be a positive duration such as 30s, 15m, 2h, 3d or PT12H, not yesterday"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--newer-than", "-5m"), 2, "error: --newer-than must be a positive duration"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--max", "0"), 2, "error: --max must be a positive number, not 0"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--rate", "0"), 2, "error: --rate must be a positive number"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--hold", "forever"), 2, "error: --hold must be a positive duration"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--no-such-filter", "x"), 2, "error: Unknown options: '--no-such-filter', 'x' (see ./pipeline dlq replay --help)"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--max"), 2, "error: Expected parameter for option '--max' but found '--sqs-endpoint'"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--to", "no-such-queue-" + UUID.randomUUID()), 1, "error: there is no queue no-such-queue-"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--sqs-endpoint", CLOSED), 1,
                        "error: cannot reach SQS at " + CLOSED + "; start the local stack with ./pipeline up"),
                Arguments.of(List.of("dlq", "replay", DLQ, "--dynamodb-endpoint", CLOSED, "--type", "inspection.submit"), 1,
                        "error: cannot reach DynamoDB at " + CLOSED + "; start the local stack with ./pipeline up"),
                Arguments.of(List.of("dlq", "list", "--sqs-endpoint", CLOSED), 1, "error: cannot reach SQS at " + CLOSED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void isOneLineAndMovesNothing(List<String> args, int exitCode, String line) {
        long[] dlqBefore = queues.depth(DLQ);
        long[] sourceBefore = queues.depth(SOURCE);
        // The stack's endpoints, but for the one a call closes on purpose.
        List<String> all = new ArrayList<>(args);
        List<String> target = queues.cli().targetOptions();
        for (int i = 0; i < target.size(); i += 2) {
            if (!args.contains(target.get(i))) {
                all.addAll(target.subList(i, i + 2));
            }
        }
        OperatorCli.Run run = OperatorCli.raw(all.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.err().lines().filter(l -> !l.contains("\r"))).singleElement().asString().startsWith(line);
        assertThat(dlqBefore).containsExactly(2, 0);
        assertThat(queues.depth(DLQ)).as("the DLQ: visible, in flight").containsExactly(dlqBefore);
        assertThat(queues.depth(SOURCE)).as("the source: visible, in flight").containsExactly(sourceBefore);
        assertThat(sourceBefore).containsExactly(0, 0);
    }
}
