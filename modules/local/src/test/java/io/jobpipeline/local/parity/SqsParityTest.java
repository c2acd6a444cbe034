package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.core.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/**
 * SQS itself, on queues of the test's own (CreateQueue, DeleteQueue after): the template's queues feed the running
 * worker, and these behaviours need short timeouts. Queue names are random, as AWS will not reuse a deleted name for
 * 60 s.
 */
class SqsParityTest {
    /** SQS's message limit since August 2025, and a new queue's MaximumMessageSize. */
    private static final int MAX_MESSAGE_BYTES = 1_048_576;
    /** The limit before, still a queue's to choose (MaximumMessageSize), and the intake's for a job's body. */
    private static final int QUEUE_LIMIT_BYTES = 262_144;

    private final ParityTarget target = ParityTarget.get();
    private final List<String> created = new ArrayList<>();

    @AfterEach
    void deleteQueues() {
        created.forEach(url -> target.sqs.deleteQueue(b -> b.queueUrl(url)));
    }

    @Test
    void visibilityTimeoutHidesAReceivedMessageUntilItExpires() throws Exception {
        String queue = queue(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
        String id = target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("visibility")).messageId();

        Message first = awaitMessage(queue);
        long firstAt = System.nanoTime();
        assertThat(first.messageId()).isEqualTo(id);
        assertThat(receiveCount(first)).isEqualTo(1);
        assertThat(receiveWithoutWaiting(queue)).as("received and not yet expired: hidden").isEmpty();

        Message second = awaitMessage(queue);
        assertThat(second.messageId()).isEqualTo(id);
        assertThat(receiveCount(second)).isEqualTo(2);
        assertThat((System.nanoTime() - firstAt) / 1_000_000).as("ms hidden").isGreaterThanOrEqualTo(900);

        // ChangeMessageVisibility 0: visible again at once, to the next receive.
        target.sqs.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle(second.receiptHandle()).visibilityTimeout(0));
        Message third = awaitMessage(queue);
        assertThat(third.messageId()).isEqualTo(id);
        assertThat(receiveCount(third)).isEqualTo(3);
        target.sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(third.receiptHandle()));
    }

    @Test
    void maxReceiveCountMovesAMessageToTheDeadLetterQueue() throws Exception {
        String dlq = queue(Map.of());
        String source = queue(Map.of(QueueAttributeName.REDRIVE_POLICY, redrivePolicy(dlq, 2)));
        String id = target.sqs.sendMessage(b -> b.queueUrl(source).messageBody("poison")).messageId();

        receiveAndReturn(source, id, 1);
        receiveAndReturn(source, id, 2);
        // The receive after the second: SQS moves the message instead of delivering it.
        AtomicReference<Message> dead = new AtomicReference<>();
        target.await("the message in the dead-letter queue", () -> {
            assertThat(receiveNow(source)).as("a third delivery from the source").isEmpty();
            receiveNow(dlq).ifPresent(dead::set);
            return dead.get() != null;
        });
        assertThat(dead.get().messageId()).isEqualTo(id);
        assertThat(dead.get().body()).isEqualTo("poison");
        // AWS may take a while to list a new redrive policy ("up to 60 seconds" for attribute changes).
        target.await("the source listed by the dead-letter queue", () ->
                target.sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls().contains(source));
        assertThat(target.sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls()).containsExactly(source);
    }

    @Test
    void delaySecondsHidesANewMessageUntilItIsDue() throws Exception {
        String queue = queue(Map.of(QueueAttributeName.DELAY_SECONDS, "1"));
        long sentAt = System.nanoTime();
        String byQueue = target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("queue delay")).messageId();
        // A message's own DelaySeconds overrides the queue's.
        String byMessage = target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("message delay").delaySeconds(2)).messageId();
        assertThat(receiveWithoutWaiting(queue)).as("nothing is due yet").isEmpty();

        Map<String, Long> dueAfterMs = new HashMap<>();
        target.await("both delayed messages", () -> {
            receiveNow(queue).ifPresent(m -> {
                dueAfterMs.put(m.messageId(), (System.nanoTime() - sentAt) / 1_000_000);
                target.sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            });
            return dueAfterMs.size() == 2;
        });
        assertThat(dueAfterMs.get(byQueue)).as("ms until the queue-delayed message").isGreaterThanOrEqualTo(950);
        assertThat(dueAfterMs.get(byMessage)).as("ms until the message-delayed message").isGreaterThanOrEqualTo(1_950);
    }

    @Test
    void messageOf1MiBIsAcceptedAndOneByteMoreRefused() throws Exception {
        String queue = queue(Map.of());
        String largest = "x".repeat(MAX_MESSAGE_BYTES);
        String id = target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(largest)).messageId();
        Message received = awaitMessage(queue);
        assertThat(received.messageId()).isEqualTo(id);
        assertThat(received.body()).isEqualTo(largest);
        assertThatThrownBy(() -> target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(largest + "x")))
                .isInstanceOfSatisfying(SqsException.class, e -> assertTooLong(e));
    }

    @Test
    void messageLimitCountsUtf8BytesNotCharacters() {
        Assumptions.assumeFalse(target.isLocal(), "skipped locally: ElasticMQ counts characters, not UTF-8 bytes");
        String queue = queue(Map.of());
        // 524,288 two-byte characters fit; one more is 1,048,578 bytes.
        String twoByte = "é".repeat(MAX_MESSAGE_BYTES / 2);
        target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(twoByte));
        assertThatThrownBy(() -> target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(twoByte + "é")))
                .isInstanceOfSatisfying(SqsException.class, e -> assertTooLong(e));
    }

    @Test
    void maximumMessageSizeOf256KiBRefusesOneByteMore() {
        Assumptions.assumeFalse(target.isLocal(), "skipped locally: ElasticMQ ignores a queue's MaximumMessageSize");
        String queue = queue(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Integer.toString(QUEUE_LIMIT_BYTES)));
        target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x".repeat(QUEUE_LIMIT_BYTES)));
        assertThatThrownBy(() -> target.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x".repeat(QUEUE_LIMIT_BYTES + 1))))
                .isInstanceOfSatisfying(SqsException.class, e -> assertTooLong(e));
    }

    /** AWS answers InvalidParameterValue; ElasticMQ InvalidAttributeValue (docs/parity.md, known differences). */
    private void assertTooLong(SqsException e) {
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(target.isLocal() ? "InvalidAttributeValue" : "InvalidParameterValue");
    }

    @Test
    void batchOfMoreThanTenEntriesOrRepeatedIdsIsRefusedAndEntriesFailOneByOne() throws Exception {
        String queue = queue(Map.of());
        assertThatThrownBy(() -> target.sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(entries(11))))
                .isInstanceOf(TooManyEntriesInBatchRequestException.class);
        List<SendMessageBatchRequestEntry> repeated = List.of(entry("same", "a"), entry("same", "b"));
        assertThatThrownBy(() -> target.sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(repeated)))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class);
        assertThat(receiveWithoutWaiting(queue)).as("a refused batch sends nothing").isEmpty();

        // Ten entries, one of them invalid for a standard queue: that one fails, the others are sent.
        List<SendMessageBatchRequestEntry> ten = new ArrayList<>(entries(9));
        ten.add(SendMessageBatchRequestEntry.builder().id("bad").messageBody("dedup").messageDeduplicationId("d-1").build());
        SendMessageBatchResponse sent = target.sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(ten));
        assertThat(sent.successful()).hasSize(9);
        assertThat(sent.failed()).singleElement().satisfies(failed -> {
            assertThat(failed.id()).isEqualTo("bad");
            assertThat(failed.senderFault()).isTrue();
            assertThat(failed.code()).isEqualTo("InvalidParameterValue");
        });
    }

    @Test
    void startMessageMoveTaskRedrivesTheDeadLetterQueueBackToItsSource() throws Exception {
        String dlq = queue(Map.of());
        String source = queue(Map.of(QueueAttributeName.REDRIVE_POLICY, redrivePolicy(dlq, 1)));
        for (String body : List.of("first", "second")) {
            target.sqs.sendMessage(b -> b.queueUrl(source).messageBody(body));
        }
        deadLetter(source, dlq, 2);

        String dlqArn = arn(dlq);
        String handle = target.sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn)).taskHandle();
        assertThat(handle).isNotBlank();
        target.await("the move task COMPLETED", () -> target.sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results()
                .stream().findFirst().filter(t -> "COMPLETED".equals(t.status())).isPresent());
        ListMessageMoveTasksResultEntry task = target.sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().getFirst();
        assertThat(task.sourceArn()).isEqualTo(dlqArn);
        assertThat(task.approximateNumberOfMessagesMoved()).isEqualTo(2L);

        // Without a DestinationArn each message goes back to the queue it was dead-lettered from.
        List<String> back = new ArrayList<>();
        target.await("both messages back on the source queue", () -> {
            receiveNow(source).ifPresent(m -> {
                back.add(m.body());
                target.sqs.deleteMessage(b -> b.queueUrl(source).receiptHandle(m.receiptHandle()));
            });
            return back.size() == 2;
        });
        assertThat(back).containsExactlyInAnyOrder("first", "second");
        assertThat(receiveWithoutWaiting(dlq)).as("the dead-letter queue after the move").isEmpty();
    }

    @Test
    void startMessageMoveTaskRefusesASourceThatIsNoDeadLetterQueue() {
        // ElasticMQ 1.7.1 fails inside on such a source and answers 503 after 21 s (docs/parity.md, known differences).
        Assumptions.assumeFalse(target.isLocal(), "skipped locally: ElasticMQ has no answer for a move task from a queue that is no dead-letter queue");
        String plainArn = arn(queue(Map.of()));
        assertThatThrownBy(() -> target.sqs.startMessageMoveTask(b -> b.sourceArn(plainArn)))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                });
    }

    @Test
    void messageMoveTaskCallsForAMissingQueueOrTaskAreRefused() {
        String plainArn = arn(queue(Map.of()));
        String missingArn = plainArn.substring(0, plainArn.lastIndexOf(':') + 1) + "parity-no-such-queue";
        // AWS answers ResourceNotFoundException; ElasticMQ QueueDoesNotExist (docs/parity.md, known differences).
        Class<? extends SqsException> notFound = target.isLocal() ? QueueDoesNotExistException.class : ResourceNotFoundException.class;
        assertThatThrownBy(() -> target.sqs.startMessageMoveTask(b -> b.sourceArn(missingArn))).isInstanceOf(notFound);
        assertThatThrownBy(() -> target.sqs.listMessageMoveTasks(b -> b.sourceArn(missingArn))).isInstanceOf(notFound);
        assertThatThrownBy(() -> target.sqs.cancelMessageMoveTask(b -> b.taskHandle("no-such-task")))
                .isInstanceOfSatisfying(SqsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
                });
    }

    /** Receives {@code count} messages once each and returns them at once, so the next receive dead-letters them. */
    private void deadLetter(String source, String dlq, int count) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        target.await(count + " messages received once", () -> {
            receiveNow(source).ifPresent(m -> {
                seen.add(m.messageId());
                target.sqs.changeMessageVisibility(b -> b.queueUrl(source).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            });
            return seen.size() == count;
        });
        target.await(count + " messages dead-lettered", () -> {
            assertThat(receiveWithoutWaiting(source)).as("a second delivery from the source").isEmpty();
            return approximateMessages(dlq) == count;
        });
    }

    private long approximateMessages(String queue) {
        return Long.parseLong(target.sqs.getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private String queue(Map<QueueAttributeName, String> attributes) {
        String name = "parity-" + UUID.randomUUID().toString().substring(0, 13);
        String url = target.sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        created.add(url);
        return url;
    }

    private String arn(String queueUrl) {
        return target.sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private String redrivePolicy(String dlq, int maxReceiveCount) {
        return Json.write(Map.of("deadLetterTargetArn", arn(dlq), "maxReceiveCount", maxReceiveCount));
    }

    /** Receives the message, checks its receive count, and makes it visible again at once. */
    private void receiveAndReturn(String queue, String id, int expectedCount) throws InterruptedException {
        Message m = awaitMessage(queue);
        assertThat(m.messageId()).isEqualTo(id);
        assertThat(receiveCount(m)).isEqualTo(expectedCount);
        target.sqs.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }

    private Message awaitMessage(String queue) throws InterruptedException {
        AtomicReference<Message> got = new AtomicReference<>();
        target.await("a message on " + queue, () -> {
            receiveNow(queue).ifPresent(got::set);
            return got.get() != null;
        });
        return got.get();
    }

    /** One receive, waiting at most a second (AWS's short poll samples only some servers; a long poll sees all). */
    private Optional<Message> receiveNow(String queue) {
        return target.sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().stream().findFirst();
    }

    /** A short poll: for "nothing there" checks that a wait could outlast (a visibility timeout or delay of 1 s). */
    private Optional<Message> receiveWithoutWaiting(String queue) {
        return target.sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(0).maxNumberOfMessages(1)).messages().stream().findFirst();
    }

    private static int receiveCount(Message m) {
        return Integer.parseInt(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
    }

    private static List<SendMessageBatchRequestEntry> entries(int count) {
        return IntStream.range(0, count).mapToObj(i -> entry("m" + i, "body " + i)).toList();
    }

    private static SendMessageBatchRequestEntry entry(String id, String body) {
        return SendMessageBatchRequestEntry.builder().id(id).messageBody(body).build();
    }
}
