package io.jobpipeline.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.local.lambda.LocalFunction;
import io.jobpipeline.local.template.SqsEventSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, for one mapping of the template: up to MaximumConcurrency pollers,
 * each gathering up to BatchSize messages within MaximumBatchingWindowInSeconds, invoking the function, and deleting
 * what succeeded. With ReportBatchItemFailures only the listed ids come back; a response that lists an unknown or
 * empty id counts as a failure of the whole batch, as in Lambda. A thrown error or timeout returns the whole batch.
 */
public final class SqsEventSourcePoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSourcePoller.class);

    private final SqsEventSource source;
    private final LocalFunction function;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong invocations = new AtomicLong();
    private final List<Thread> pollers = new ArrayList<>();

    public SqsEventSourcePoller(SqsEventSource source, LocalFunction function, SqsClient sqs, String queueUrl, String queueArn, String region) {
        this.source = source;
        this.function = function;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
    }

    public void start() {
        if (!source.enabled()) {
            return;
        }
        for (int i = 0; i < source.maximumConcurrency(); i++) {
            String name = function.spec().logicalId() + "-" + source.name() + "-poller-" + i;
            pollers.add(Thread.ofVirtual().name(name).start(this::pollUntilClosed));
        }
    }

    public long invocations() {
        return invocations.get();
    }

    private void pollUntilClosed() {
        while (running.get()) {
            try {
                List<Message> batch = gather();
                if (!batch.isEmpty() && running.get()) {
                    deliver(batch);
                }
            } catch (RuntimeException e) {
                if (running.get()) {
                    LOG.warn("{} poller: {}", source.name(), e.getMessage());
                    pause();
                }
            }
        }
    }

    /**
     * Long-polls for a first message, then keeps gathering until BatchSize is reached or the batching window, counted
     * from that first message, has passed, as Lambda does (with no window: what the first receive brought).
     */
    private List<Message> gather() {
        List<Message> batch = new ArrayList<>();
        long windowMillis = source.maximumBatchingWindowSeconds() * 1000L;
        long windowEnds = Long.MAX_VALUE;
        while (running.get() && batch.size() < source.batchSize()) {
            long left = windowEnds - System.currentTimeMillis();
            if (!batch.isEmpty() && left <= 0) {
                break;
            }
            int wait = batch.isEmpty() ? 1 : (int) Math.min(20, left / 1000);
            int max = Math.min(10, source.batchSize() - batch.size());
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max).waitTimeSeconds(wait)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
            if (batch.isEmpty() && !received.isEmpty()) {
                windowEnds = System.currentTimeMillis() + windowMillis;
            }
            batch.addAll(received);
            if (received.isEmpty() && wait == 0 && !batch.isEmpty()) {
                sleep(Math.min(50, Math.max(1, left))); // under a second of window left: short polls, not a busy loop
            }
        }
        return batch;
    }

    private void deliver(List<Message> batch) {
        invocations.incrementAndGet();
        String response;
        try {
            response = function.invoke(SqsEventJson.of(batch, queueArn, region));
        } catch (Exception e) {
            LOG.warn("{} failed on a batch of {}; all of it returns to the queue: {}", function.spec().logicalId(), batch.size(), e.toString());
            return;
        }
        Set<String> failed = source.reportBatchItemFailures() ? failedIds(response, batch) : Set.of();
        if (failed == null) {
            LOG.warn("{} answered an invalid batch response; the whole batch returns to the queue: {}", function.spec().logicalId(), response);
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : batch) {
            if (!failed.contains(m.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size())).receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            var result = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
            result.failed().forEach(f -> LOG.warn("delete of a processed message failed: {} {}", f.code(), f.message()));
        }
    }

    /** The ids to retry; null when the response is not a valid partial batch response. */
    private static Set<String> failedIds(String response, List<Message> batch) {
        if (response == null || response.isBlank() || response.equals("null")) {
            return Set.of(); // an empty response means the whole batch succeeded
        }
        JsonNode json;
        try {
            json = Json.tree(response);
        } catch (IllegalArgumentException e) {
            return null;
        }
        JsonNode failures = json.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return Set.of();
        }
        if (!failures.isArray()) {
            return null;
        }
        Set<String> ids = new HashSet<>();
        Set<String> inBatch = new HashSet<>(batch.stream().map(Message::messageId).toList());
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty() || !inBatch.contains(id.asText())) {
                return null;
            }
            ids.add(id.asText());
        }
        return ids;
    }

    private static void pause() {
        sleep(500);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread poller : pollers) {
            try {
                poller.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
