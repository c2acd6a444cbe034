package io.jobpipeline.aws;

import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.port.JobBatchQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The jobs queue through SendMessageBatch: at most 10 entries and 256 KiB per call, as SQS allows. Each entry's id is
 * its job id; an entry SQS reports failed, or does not report at all, or whose call failed, comes back refused.
 */
public final class SqsJobBatchQueue implements JobBatchQueue {
    static final int MAX_ENTRIES = 10;
    static final int MAX_CALL_BYTES = 256 * 1024;
    /** Room for an entry's message attributes (job id and type), which count towards the call's size. */
    private static final int ATTRIBUTE_BYTES = 256;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsJobBatchQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<Refusal> sendAll(List<Outgoing> messages) {
        List<Refusal> refused = new ArrayList<>();
        List<SendMessageBatchRequestEntry> call = new ArrayList<>();
        int bytes = 0;
        for (Outgoing o : messages) {
            String body = Json.write(o.message());
            int size = body.getBytes(StandardCharsets.UTF_8).length + ATTRIBUTE_BYTES;
            if (!call.isEmpty() && (call.size() == MAX_ENTRIES || bytes + size > MAX_CALL_BYTES)) {
                refused.addAll(send(call));
                call = new ArrayList<>();
                bytes = 0;
            }
            call.add(entry(o, body));
            bytes += size;
        }
        if (!call.isEmpty()) {
            refused.addAll(send(call));
        }
        return refused;
    }

    private List<Refusal> send(List<SendMessageBatchRequestEntry> entries) {
        SendMessageBatchResponse response;
        try {
            response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        } catch (SdkException e) {
            boolean transientFault = AwsFaults.transientFault(e);
            String reason = "SendMessageBatch failed: " + e.getMessage();
            return entries.stream().map(en -> new Refusal(new JobId(en.id()), reason, transientFault)).toList();
        }
        List<Refusal> refused = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        response.successful().forEach(ok -> answered.add(ok.id()));
        response.failed().forEach(f -> {
            answered.add(f.id());
            refused.add(new Refusal(new JobId(f.id()), f.code() + ": " + f.message(),
                    !Boolean.TRUE.equals(f.senderFault())));
        });
        for (SendMessageBatchRequestEntry en : entries) {
            if (!answered.contains(en.id())) {
                refused.add(new Refusal(new JobId(en.id()), "SendMessageBatch did not report this entry", true));
            }
        }
        return refused;
    }

    private static SendMessageBatchRequestEntry entry(Outgoing o, String body) {
        return SendMessageBatchRequestEntry.builder()
                .id(o.message().jobId())
                .messageBody(body)
                .delaySeconds(o.delaySeconds())
                .messageAttributes(Map.of("jobId", text(o.message().jobId()), "jobType", text(o.message().type())))
                .build();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
