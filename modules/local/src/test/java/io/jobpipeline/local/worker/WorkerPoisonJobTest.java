package io.jobpipeline.local.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.job.TimelineEntry;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The operator's story, through the running shared stack: an inspection of an unregistered vehicle fails, comes back
 * later each time, is dead-lettered at the last receive and lands in JobsDeadLetterQueue; once the vehicle is
 * registered, moving the message back completes it, its inspection written once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerPoisonJobTest {
    private static LocalPipeline stack;
    private static URI api;

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        api = stack.httpEndpoint();
    }

    @Test
    void aPoisonJobIsDeadLetteredThenCompletesWhenReplayedAfterTheFix() throws Exception {
        String vehicle = "POISON-" + UUID.randomUUID().toString().substring(0, 8);
        TestHttp.Response accepted = TestHttp.postJson(api, "/jobs", Json.write(Map.of("type", "inspection.submit", "payload", Map.of(
                "vehicleId", vehicle, "driverId", "DRV-7", "odometerKm", 48_210,
                "items", List.of(Map.of("name", "brakes", "ok", true), Map.of("name", "tyres", "ok", true))))));
        assertThat(accepted.status()).isEqualTo(202);
        String jobId = accepted.json().get("jobId").asText();

        // Fails on every receive, waiting longer each time, and is dead-lettered at the third (maxReceiveCount).
        TestHttp.Response dead = TestHttp.await(api, "/jobs/" + jobId,
                r -> r.status() == 200 && r.json().get("status").asText().equals("DEAD_LETTERED"), Duration.ofSeconds(20));
        assertThat(dead.json().get("status").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(dead.json().get("attempts").asInt()).isEqualTo(3);
        Job deadLettered = job(jobId);
        assertThat(deadLettered.timeline()).extracting(TimelineEntry::event).containsSubsequence(
                "ATTEMPT_STARTED", "FAILED", "ATTEMPT_STARTED", "FAILED", "ATTEMPT_STARTED", "DEAD_LETTERED");
        // receive 1 waits 1-2 s, receive 2 waits 2-4 s (RETRY_VISIBILITY_BASE_SECONDS 2 in template.yaml)
        assertThat(gapBefore(deadLettered, 2)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(gapBefore(deadLettered, 3)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        awaitConsumed(JobEvents.eventId(jobId, "JobDeadLettered", 3), "the JobDeadLettered event");

        Message inDlq = awaitInDeadLetterQueue(jobId);

        TestHttp.Response registered = TestHttp.postJson(api, "/jobs", Json.write(Map.of("type", "vehicle.register",
                "payload", Map.of("vehicleId", vehicle, "plate", "B-PJ 1", "model", "Ford Transit"))));
        String registration = registered.json().get("jobId").asText();
        assertThat(TestHttp.await(api, "/jobs/" + registration, r -> r.json().path("status").asText().equals("COMPLETED"),
                Duration.ofSeconds(15)).json().get("status").asText()).isEqualTo("COMPLETED");

        // Replay: the message back to JobsQueue as it was, then off the dead-letter queue.
        SqsClient sqs = stack.clients().sqs();
        sqs.sendMessage(b -> b.queueUrl(stack.resources().queueUrl("JobsQueue")).messageBody(inDlq.body())
                .messageAttributes(inDlq.messageAttributes()));
        sqs.deleteMessage(b -> b.queueUrl(stack.resources().queueUrl("JobsDeadLetterQueue")).receiptHandle(inDlq.receiptHandle()));

        TestHttp.Response done = TestHttp.await(api, "/jobs/" + jobId,
                r -> r.status() == 200 && r.json().get("status").asText().equals("COMPLETED"), Duration.ofSeconds(15));
        assertThat(done.json().get("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.json().get("attempts").asInt()).isEqualTo(4);
        assertThat(done.json().at("/result/mayDrive").asBoolean()).isTrue();
        Job completed = job(jobId);
        assertThat(completed.timeline()).filteredOn(e -> e.event().equals("COMPLETED")).hasSize(1);
        Map<String, AttributeValue> inspection = stack.clients().dynamoDb().getItem(b -> b.tableName(WorkerTestQueue.table(stack))
                .key(Map.of("PK", AttributeValue.fromS("INSPECTION#" + jobId), "SK", AttributeValue.fromS("INSPECTION")))
                .consistentRead(true)).item();
        assertThat(inspection.get("writtenBy").s()).isEqualTo(jobId);
        awaitConsumed(JobEvents.eventId(jobId, "JobCompleted", 0), "the JobCompleted event");
    }

    private static Job job(String jobId) throws Exception {
        return new DynamoDbJobStore(stack.clients().dynamoDb(), WorkerTestQueue.table(stack)).find(new JobId(jobId)).orElseThrow();
    }

    /** From the failure of attempt {@code attempt - 1} to the start of {@code attempt}: the message's time away. */
    private static Duration gapBefore(Job job, int attempt) {
        TimelineEntry failed = job.timeline().stream().filter(e -> e.event().equals("FAILED") && e.attempt() == attempt - 1)
                .findFirst().orElseThrow();
        TimelineEntry started = job.timeline().stream().filter(e -> e.event().equals("ATTEMPT_STARTED") && e.attempt() == attempt)
                .findFirst().orElseThrow();
        return Duration.between(failed.at(), started.at());
    }

    private static Message awaitInDeadLetterQueue(String jobId) throws InterruptedException {
        SqsClient sqs = stack.clients().sqs();
        String dlq = stack.resources().queueUrl("JobsDeadLetterQueue");
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            // Others' messages come back after a second; ours is kept until it is moved.
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
            Optional<Message> ours = received.stream().filter(m -> m.body().contains(jobId)).findFirst();
            if (ours.isPresent()) {
                sqs.changeMessageVisibility(b -> b.queueUrl(dlq).receiptHandle(ours.get().receiptHandle()).visibilityTimeout(60));
                return ours.get();
            }
        }
        throw new AssertionError("job " + jobId + " never reached JobsDeadLetterQueue");
    }

    private static void awaitConsumed(String eventId, String what) throws InterruptedException {
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            boolean there = dynamo.getItem(b -> b.tableName(WorkerTestQueue.table(stack)).key(Map.of(
                    "PK", AttributeValue.fromS("CONSUMED#analytics#" + eventId), "SK", AttributeValue.fromS("EVENT")))).hasItem();
            if (there) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " (" + eventId + ") never reached the analytics consumer");
    }
}
