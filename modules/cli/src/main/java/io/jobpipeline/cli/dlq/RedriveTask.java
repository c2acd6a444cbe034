package io.jobpipeline.cli.dlq;

import io.jobpipeline.core.retry.Sleeper;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * SQS's own redrive of a whole dead-letter queue back to its source (StartMessageMoveTask): SQS moves the messages,
 * at {@code MaxNumberOfMessagesPerSecond} if given, and keeps moving if this process dies. Followed with
 * ListMessageMoveTasks until it ends.
 */
final class RedriveTask {
    /** The errors of an endpoint that has no message move tasks: the caller moves the messages itself then. */
    private static final Set<String> UNSUPPORTED = Set.of("UnsupportedOperation", "InvalidAction", "UnknownOperationException",
            "AWS.SimpleQueueService.UnsupportedOperation", "InvalidParameterValue");

    /** How the task ended: its status, how many it moved, and why it failed if it did. */
    record Outcome(String status, long moved, String failureReason) {}

    private final SqsClient sqs;
    private final Sleeper sleeper;

    RedriveTask(SqsClient sqs, Sleeper sleeper) {
        this.sqs = sqs;
        this.sleeper = sleeper;
    }

    /** Starts the task; empty when the endpoint does not support move tasks. */
    Optional<String> start(String dlqArn, String sourceArn, Integer perSecond) {
        try {
            return Optional.of(sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn).destinationArn(sourceArn)
                    .maxNumberOfMessagesPerSecond(perSecond)).taskHandle());
        } catch (SqsException e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            if (UNSUPPORTED.contains(code) || e.statusCode() == 404 || e.statusCode() == 501) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Waits for the task to end, reporting the messages moved so far. */
    Outcome follow(String dlqArn, String handle, java.util.function.LongConsumer moved) throws InterruptedException {
        while (true) {
            Optional<ListMessageMoveTasksResultEntry> task = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn).maxResults(10))
                    .results().stream().filter(t -> handle.equals(t.taskHandle()) || t.taskHandle() == null).findFirst();
            if (task.isEmpty()) {
                return new Outcome("UNKNOWN", 0, "the move task is not listed any more");
            }
            ListMessageMoveTasksResultEntry t = task.get();
            long count = t.approximateNumberOfMessagesMoved() == null ? 0 : t.approximateNumberOfMessagesMoved();
            moved.accept(count);
            if (!"RUNNING".equals(t.status()) && !"CANCELLING".equals(t.status())) {
                return new Outcome(t.status(), count, t.failureReason());
            }
            sleeper.sleep(Duration.ofMillis(500));
        }
    }
}
