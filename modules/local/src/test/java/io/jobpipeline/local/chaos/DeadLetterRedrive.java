package io.jobpipeline.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What an operator does with dead letters once the cause is fixed. The jobs dead-letter queue: its messages moved back
 * to their source queue with SQS's own StartMessageMoveTask (what the console's "start DLQ redrive" does). A consumer's
 * dead-letter queue holds events: each is put on the bus again (consumers drop what they already applied).
 */
final class DeadLetterRedrive {
    private final SqsClient sqs;
    private final EventBridgeClient events;

    DeadLetterRedrive(SqsClient sqs, EventBridgeClient events) {
        this.sqs = sqs;
        this.events = events;
    }

    /** Moves every message of the dead-letter queue back to its source queue; how many it moved. */
    long moveBack(String deadLetterUrl, Duration patience) throws InterruptedException {
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        if (messages(deadLetterUrl) == 0) {
            return 0;
        }
        String handle = sqs.startMessageMoveTask(b -> b.sourceArn(arn)).taskHandle();
        long end = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < end) {
            List<ListMessageMoveTasksResultEntry> tasks = sqs.listMessageMoveTasks(b -> b.sourceArn(arn)).results();
            for (ListMessageMoveTasksResultEntry task : tasks) {
                if (handle.equals(task.taskHandle()) || task.taskHandle() == null) {
                    switch (task.status()) {
                        case "COMPLETED" -> {
                            return task.approximateNumberOfMessagesMoved();
                        }
                        case "FAILED", "CANCELLED" -> throw new IllegalStateException("move task " + task.status() + ": " + task.failureReason());
                        default -> { }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the move task of " + deadLetterUrl + " did not finish within " + patience);
    }

    /** Puts each event of a consumer's dead-letter queue on {@code bus} again, deleting it once the bus took it. */
    int republish(String deadLetterUrl, String bus) {
        int republished = 0;
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(deadLetterUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(30)).messages();
            if (batch.isEmpty()) {
                return republished;
            }
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (Message m : batch) {
                JsonNode event = Json.tree(m.body());
                entries.add(PutEventsRequestEntry.builder().eventBusName(bus).source(event.path("source").asText())
                        .detailType(event.path("detail-type").asText()).detail(Json.write(event.path("detail")))
                        .time(java.time.Instant.parse(event.path("time").asText())).build());
            }
            var answer = events.putEvents(b -> b.entries(entries));
            List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (answer.entries().get(i).errorCode() == null) {
                    done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(batch.get(i).receiptHandle()).build());
                }
            }
            if (!done.isEmpty()) {
                sqs.deleteMessageBatch(b -> b.queueUrl(deadLetterUrl).entries(done));
            }
            republished += done.size();
        }
    }

    /** Visible, in flight and delayed messages of the queue. */
    long messages(String queueUrl) {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToLong(Long::parseLong).sum();
    }
}
