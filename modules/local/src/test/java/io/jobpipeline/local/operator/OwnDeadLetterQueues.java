package io.jobpipeline.local.operator;

import io.jobpipeline.core.Json;
import io.jobpipeline.local.LocalPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Queues of one test on the shared local stack, named apart from everyone else's: a source queue with its
 * dead-letter queue and a consumer's dead-letter queue (of a rule on the stack's bus), in a template of their own that
 * names the shared table and bus. Dead jobs are put in by hand: a message as the worker's queue carries it and the
 * job's record as the worker leaves it, DEAD_LETTERED at a chosen time, so filters and ages are exact.
 */
final class OwnDeadLetterQueues {
    static final String SOURCE = "TestSource";
    static final String DLQ = "TestDeadLetters";
    static final String EVENTS_DLQ = "TestEventDeadLetters";

    /** A dead job: its id, type, last error (null: no job record) and when it last failed. */
    record DeadJob(String jobId, String type, String error, Instant failedAt) {}

    private final LocalPipeline stack;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final Path template;
    private final OperatorCli cli;

    OwnDeadLetterQueues(LocalPipeline stack, Path dir) throws IOException {
        this.stack = stack;
        this.template = dir.resolve("template-" + tag + ".yaml");
        Files.writeString(template, """
                AWSTemplateFormatVersion: "2010-09-09"
                Resources:
                  TestSource:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: cli-%1$s-source
                      RedrivePolicy:
                        deadLetterTargetArn: !GetAtt TestDeadLetters.Arn
                        maxReceiveCount: 3
                  TestDeadLetters:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: cli-%1$s-dlq
                  TestEventDeadLetters:
                    Type: AWS::SQS::Queue
                    Properties:
                      QueueName: cli-%1$s-events-dlq
                  TestConsumer:
                    Type: AWS::Serverless::Function
                    Properties:
                      DeadLetterQueue:
                        Type: SQS
                        TargetArn: !GetAtt TestEventDeadLetters.Arn
                      Events:
                        Everything:
                          Type: EventBridgeRule
                          Properties:
                            EventBusName: !Ref JobsEventBus
                            Pattern: {source: [jobs.pipeline]}
                  JobsTable:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: JobsTable
                  JobsEventBus:
                    Type: AWS::Events::EventBus
                    Properties:
                      Name: job-pipeline-jobs
                """.formatted(tag));
        String dlqUrl = sqs().createQueue(b -> b.queueName(name(DLQ))).queueUrl();
        String dlqArn = sqs().getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sqs().createQueue(b -> b.queueName(name(SOURCE)).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}")));
        sqs().createQueue(b -> b.queueName(name(EVENTS_DLQ)));
        this.cli = new OperatorCli(stack, template);
    }

    /** The CLI, pointed at the shared stack's endpoints and this template. */
    OperatorCli cli() {
        return cli;
    }

    String tag() {
        return tag;
    }

    /** The queue's name at the endpoint; any other name is a queue of this test too (created on first use). */
    String name(String logicalId) {
        return "cli-" + tag + "-" + switch (logicalId) {
            case SOURCE -> "source";
            case DLQ -> "dlq";
            case EVENTS_DLQ -> "events-dlq";
            default -> logicalId;
        };
    }

    String url(String logicalId) {
        return sqs().createQueue(b -> b.queueName(name(logicalId))).queueUrl();
    }

    /** Puts a dead job in the DLQ: the message (body and attributes as SqsJobQueue sends them) and, with an error, its record. */
    Message bury(DeadJob job) {
        String body = Json.write(Map.of("jobId", job.jobId(), "type", job.type(), "payload", Map.of("tag", tag)));
        Map<String, MessageAttributeValue> attributes = Map.of(
                "jobId", MessageAttributeValue.builder().dataType("String").stringValue(job.jobId()).build(),
                "jobType", MessageAttributeValue.builder().dataType("String").stringValue(job.type()).build(),
                "producer", MessageAttributeValue.builder().dataType("String.producer").stringValue("ops-test").build(),
                "priority", MessageAttributeValue.builder().dataType("Number").stringValue("7").build());
        if (job.error() != null) {
            Map<String, AttributeValue> deadLettered = Map.of("at", AttributeValue.fromS(job.failedAt().toString()),
                    "event", AttributeValue.fromS("DEAD_LETTERED"), "attempt", AttributeValue.fromN("3"),
                    "detail", AttributeValue.fromS(job.error()));
            stack.clients().dynamoDb().putItem(b -> b.tableName("JobsTable").item(Map.of(
                    "PK", AttributeValue.fromS("JOB#" + job.jobId()), "SK", AttributeValue.fromS("JOB"),
                    "jobId", AttributeValue.fromS(job.jobId()), "type", AttributeValue.fromS(job.type()),
                    "status", AttributeValue.fromS("DEAD_LETTERED"), "attempts", AttributeValue.fromN("3"),
                    "lastError", AttributeValue.fromS(job.error()),
                    "timeline", AttributeValue.fromL(List.of(AttributeValue.fromM(deadLettered))))));
        }
        String id = sqs().sendMessage(b -> b.queueUrl(url(DLQ)).messageBody(body).messageAttributes(attributes)).messageId();
        return Message.builder().messageId(id).body(body).messageAttributes(attributes).build();
    }

    /** Puts a consumer's dead event in the events DLQ: the EventBridge envelope as the body, the error as attributes. */
    void buryEvent(String jobId, String detailType, Map<String, Object> detail) {
        Map<String, Object> envelope = Map.of("version", "0", "id", UUID.randomUUID().toString(), "detail-type", detailType,
                "source", "jobs.pipeline", "account", "000000000000", "time", Instant.now().toString(), "region", "us-east-1",
                "resources", List.of(), "detail", detail);
        sqs().sendMessage(b -> b.queueUrl(url(EVENTS_DLQ)).messageBody(Json.write(envelope)).messageAttributes(Map.of(
                "ERROR_CODE", MessageAttributeValue.builder().dataType("String").stringValue("Lambda.Unhandled").build(),
                "ERROR_MESSAGE", MessageAttributeValue.builder().dataType("String").stringValue("consumer down for " + jobId).build())));
    }

    /** Visible and in-flight messages of the queue, as SQS counts them. */
    long[] depth(String logicalId) {
        Map<QueueAttributeName, String> a = sqs().getQueueAttributes(b -> b.queueUrl(url(logicalId)).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return new long[] {Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))};
    }

    /** Takes every visible message of the queue (deleting it), with its attributes. */
    List<Message> drain(String logicalId) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs().receiveMessage(b -> b.queueUrl(url(logicalId)).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
            batch.forEach(m -> sqs().deleteMessage(b -> b.queueUrl(url(logicalId)).receiptHandle(m.receiptHandle())));
        }
    }

    /** The job ids of these messages (their jobId attribute). */
    static List<String> jobIds(List<Message> messages) {
        return messages.stream().map(m -> m.messageAttributes().get("jobId").stringValue()).toList();
    }

    private SqsClient sqs() {
        return stack.clients().sqs();
    }
}
