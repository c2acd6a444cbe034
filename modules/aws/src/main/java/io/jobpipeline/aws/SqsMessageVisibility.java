package io.jobpipeline.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * Sets how long failed messages stay invisible before their next delivery: ChangeMessageVisibilityBatch, ten entries a
 * call, entries failing on SQS's side sent again within the {@link AwsRetry}'s deadline. Best effort: a message whose
 * change did not go through comes back after the queue's own visibility timeout, later but not lost.
 */
public final class SqsMessageVisibility {
    private static final Logger LOG = LoggerFactory.getLogger(SqsMessageVisibility.class);
    private static final int MAX_ENTRIES = 10;

    /** One message (by its receipt handle) and the visibility timeout it should get from now on. */
    public record Change(String receiptHandle, Duration visibility) {}

    private final SqsClient sqs;
    private final AwsRetry retry;

    public SqsMessageVisibility(SqsClient sqs, AwsRetry retry) {
        this.sqs = sqs;
        this.retry = retry;
    }

    public SqsMessageVisibility until(Instant deadline) {
        return new SqsMessageVisibility(sqs, retry.until(deadline));
    }

    /** Applies the changes; returns how many did not go through. */
    public int change(String queueUrl, List<Change> changes) {
        int failed = 0;
        for (int from = 0; from < changes.size(); from += MAX_ENTRIES) {
            failed += changeBatch(queueUrl, changes.subList(from, Math.min(changes.size(), from + MAX_ENTRIES)));
        }
        return failed;
    }

    private int changeBatch(String queueUrl, List<Change> batch) {
        Map<String, ChangeMessageVisibilityBatchRequestEntry> pending = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Change c = batch.get(i);
            String id = Integer.toString(i);
            pending.put(id, ChangeMessageVisibilityBatchRequestEntry.builder().id(id).receiptHandle(c.receiptHandle())
                    .visibilityTimeout(seconds(c.visibility())).build());
        }
        List<String> refused = new ArrayList<>();
        try {
            retry.call("ChangeMessageVisibilityBatch of " + batch.size(), o -> send(queueUrl, pending, refused, o),
                    left -> !left.isEmpty());
        } catch (SdkException e) {
            LOG.warn("could not change the visibility of {} messages; they come back after the queue's timeout: {}",
                    pending.size(), e.getMessage());
        }
        return pending.size() + refused.size();
    }

    /** One call with every pending entry; what SQS failed on its side stays pending, what it refused is dropped. */
    private Map<String, ChangeMessageVisibilityBatchRequestEntry> send(String queueUrl,
            Map<String, ChangeMessageVisibilityBatchRequestEntry> pending, List<String> refused, AwsRequestOverrideConfiguration o) {
        ChangeMessageVisibilityBatchResponse response = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl)
                .entries(List.copyOf(pending.values())).overrideConfiguration(o));
        response.successful().forEach(ok -> pending.remove(ok.id()));
        for (BatchResultErrorEntry error : response.failed()) {
            if (error.senderFault() != null && error.senderFault()) {
                // e.g. the receipt handle expired: nothing a retry changes
                LOG.warn("visibility of a message not changed: {} {}", error.code(), error.message());
                refused.add(error.id());
                pending.remove(error.id());
            }
        }
        return pending;
    }

    private static int seconds(Duration visibility) {
        return (int) Math.max(0, Math.min(43_200, visibility.toSeconds()));
    }
}
