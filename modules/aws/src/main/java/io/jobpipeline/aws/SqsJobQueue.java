package io.jobpipeline.aws;

import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.JobMessage;
import io.jobpipeline.core.port.JobQueue;
import io.jobpipeline.core.port.StoreUnavailable;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The jobs queue; the job id and type travel as message attributes so operators can filter without parsing bodies. */
public final class SqsJobQueue implements JobQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsJobQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(JobMessage message, int delaySeconds) throws StoreUnavailable {
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl)
                    .messageBody(Json.write(message))
                    .delaySeconds(delaySeconds)
                    .messageAttributes(Map.of(
                            "jobId", text(message.jobId()),
                            "jobType", text(message.type()))));
        } catch (SdkException e) {
            throw AwsFaults.unavailable("queueing job " + message.jobId(), e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
