package io.jobpipeline.local.worker;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A jobs queue of one test, on the shared stack's ElasticMQ, with a dead-letter queue behind it: the stack's own
 * pollers do not know it, so the test plays Lambda's event source mapping itself: receive, invoke the worker with the
 * SQS event Lambda would build, delete what the partial batch response does not name.
 */
final class WorkerTestQueue {
    static final int MAX_RECEIVE_COUNT = 10;

    private final LocalPipeline stack;
    private final SqsClient sqs;
    private final DynamoDbJobStore jobs;
    final String url;
    final String arn;
    final String deadLetterUrl;

    private WorkerTestQueue(LocalPipeline stack, String url, String arn, String deadLetterUrl) {
        this.stack = stack;
        this.sqs = stack.clients().sqs();
        this.jobs = new DynamoDbJobStore(stack.clients().dynamoDb(), table(stack));
        this.url = url;
        this.arn = arn;
        this.deadLetterUrl = deadLetterUrl;
    }

    /** A fresh queue; messages a worker neither deletes nor delays come back after {@code visibilitySeconds}. */
    static WorkerTestQueue create(LocalPipeline stack, String name, int visibilitySeconds) {
        SqsClient sqs = stack.clients().sqs();
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        String dlqUrl = sqs.createQueue(b -> b.queueName(suffix + "-dlq")).queueUrl();
        String dlqArn = arn(sqs, dlqUrl);
        String url = sqs.createQueue(b -> b.queueName(suffix).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds),
                QueueAttributeName.REDRIVE_POLICY, Json.write(Map.of("deadLetterTargetArn", dlqArn, "maxReceiveCount", MAX_RECEIVE_COUNT)))))
                .queueUrl();
        return new WorkerTestQueue(stack, url, arn(sqs, url), dlqUrl);
    }

    /** What the template gives the worker, pointed at this queue, with quick backoffs. */
    Map<String, String> workerEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("JOBS_TABLE", table(stack));
        env.put("EVENT_BUS_NAME", stack.resources().busName("JobsEventBus"));
        env.put("JOBS_QUEUE_URL", url);
        env.put("MAX_RECEIVE_COUNT", Integer.toString(MAX_RECEIVE_COUNT));
        env.put("AWS_REGION", LocalOptions.REGION);
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_SQS", stack.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", stack.busEndpoint().toString());
        env.put("RETRY_BASE_MILLIS", "5");
        env.put("RETRY_CAP_MILLIS", "100");
        env.put("RETRY_MAX_ATTEMPTS", "8");
        env.put("RETRY_VISIBILITY_BASE_SECONDS", "1");
        env.put("RETRY_VISIBILITY_CAP_SECONDS", "2");
        return env;
    }

    /** As the intake does it: the job's record first, then its message. */
    Job submit(String type, Object payload) throws Exception {
        Job job = Job.accepted(JobId.next(Clock.systemUTC()), new JobRequest(type, Json.MAPPER.valueToTree(payload), null, null),
                "worker-test", Instant.now());
        jobs.create(job);
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(Json.write(job.message())));
        return job;
    }

    Job job(JobId id) throws Exception {
        return jobs.find(id).orElseThrow();
    }

    List<Message> receive(int max, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
    }

    SQSEvent event(List<Message> batch) {
        return LambdaSqsEvents.of(batch, arn, LocalOptions.REGION);
    }

    /** One invocation with {@code timeout} as the function's time left; returns the ids it reported failed. */
    Set<String> invoke(RequestHandler<SQSEvent, SQSBatchResponse> worker, SQSEvent event, Duration timeout) {
        SQSBatchResponse response = worker.handleRequest(event, io.jobpipeline.local.lambda.LocalContext.of("WorkerFunction", timeout));
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .collect(Collectors.toSet());
    }

    /** What the event source mapping does after a successful invocation: deletes every message not reported failed. */
    void deleteAllBut(List<Message> batch, Set<String> failed) {
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : batch) {
            if (!failed.contains(m.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size())).receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(done));
        }
    }

    /** Plays the event source mapping until {@code done} holds and the queue is empty, or fails after {@code timeout}. */
    void drain(RequestHandler<SQSEvent, SQSBatchResponse> worker, BooleanSupplier done, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<Message> batch = receive(10, 1);
            if (!batch.isEmpty()) {
                deleteAllBut(batch, invoke(worker, event(batch), Duration.ofSeconds(30)));
            } else if (done.getAsBoolean() && messagesLeft(url) == 0) {
                return;
            }
        }
        throw new AssertionError("the test queue did not drain within " + timeout + "; " + messagesLeft(url) + " messages left");
    }

    int messagesLeft(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    void delete() {
        sqs.deleteQueue(b -> b.queueUrl(url));
        sqs.deleteQueue(b -> b.queueUrl(deadLetterUrl));
    }

    static String table(LocalPipeline stack) {
        return stack.resources().ref("JobsTable");
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
