package io.jobpipeline.cli.dlq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A queue to replay into: SendMessageBatch with each message's body and message attributes unchanged. The message is
 * new there, so its receive count starts at 0 and the job gets its whole attempt budget again.
 */
final class QueueDestination implements ReplayDestination {
    private final SqsClient sqs;
    private final String name;
    private final String url;
    private final boolean jobsQueue;

    QueueDestination(SqsClient sqs, String name, String url, boolean jobsQueue) {
        this.sqs = sqs;
        this.name = name;
        this.url = url;
        this.jobsQueue = jobsQueue;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean rerunsJobs() {
        return jobsQueue;
    }

    @Override
    public Map<String, String> send(List<Message> messages) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(m.body())
                    .messageAttributes(m.messageAttributes()).build());
        }
        Map<String, String> failed = new LinkedHashMap<>();
        var response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
        response.failed().forEach(f -> failed.put(messages.get(Integer.parseInt(f.id())).messageId(), f.code() + ": " + f.message()));
        return failed;
    }
}
