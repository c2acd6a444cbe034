package io.jobpipeline.cli.dlq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A pass over a queue without consuming it: each message received is kept invisible for {@code hold} (so it is not
 * received again while the pass lasts) until it is deleted, or made visible again when the pass closes
 * (ChangeMessageVisibility 0). A pass that dies leaves the held messages to come back by themselves after
 * {@code hold}: later, never lost.
 */
final class QueueScan implements AutoCloseable {
    private static final int BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final int holdSeconds;
    private final Map<String, String> held = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private boolean done;

    QueueScan(SqsClient sqs, String queueUrl, Duration hold) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.holdSeconds = (int) Math.min(43_200, Math.max(1, hold.toSeconds()));
    }

    /**
     * The next messages not seen yet in this pass, at most {@code max} (1..10); empty when the queue has no visible
     * message left, or only ones this pass saw already (their hold ran out).
     */
    List<Message> next(int max) {
        if (done) {
            return List.of();
        }
        int size = Math.max(1, Math.min(BATCH, max));
        // Two empty answers (the second a long poll, which asks every SQS server) or three of messages seen already.
        for (int empty = 0, again = 0; empty < 2 && again < 3; ) {
            int wait = empty == 0 ? 0 : 1;
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(size)
                    .visibilityTimeout(holdSeconds).waitTimeSeconds(wait)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
            List<Message> fresh = new ArrayList<>();
            for (Message m : received) {
                held.put(m.messageId(), m.receiptHandle());
                if (seen.add(m.messageId())) {
                    fresh.add(m);
                }
            }
            if (!fresh.isEmpty()) {
                return fresh;
            }
            if (received.isEmpty()) {
                empty++;
            } else {
                again++;
            }
        }
        done = true;
        return List.of();
    }

    /** Deletes messages of this pass (after what they stand for was sent on); returns the ids SQS failed to delete. */
    List<String> delete(List<Message> messages) {
        List<String> failed = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += BATCH) {
            List<Message> batch = messages.subList(from, Math.min(messages.size(), from + BATCH));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(held.getOrDefault(batch.get(i).messageId(), batch.get(i).receiptHandle())).build());
            }
            var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            response.failed().forEach(f -> failed.add(batch.get(Integer.parseInt(f.id())).messageId()));
            batch.forEach(m -> {
                if (!failed.contains(m.messageId())) {
                    held.remove(m.messageId());
                }
            });
        }
        return failed;
    }

    /** Makes every message this pass still holds visible again; best effort (a miss comes back after the hold). */
    @Override
    public void close() {
        List<String> handles = new ArrayList<>(held.values());
        held.clear();
        for (int from = 0; from < handles.size(); from += BATCH) {
            List<String> batch = handles.subList(from, Math.min(handles.size(), from + BATCH));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(batch.get(i)).visibilityTimeout(0).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
            } catch (RuntimeException e) {
                // they become visible again when their hold runs out
            }
        }
    }
}
