package io.jobpipeline.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code ./pipeline up --data DIR}: queues, messages and tables survive a stop and a start with the same directory. */
class EmulatorsPersistenceTest {
    private static final String HOST = "127.0.0.1";
    private static final String REGION = "eu-west-1";
    private static final String ACCOUNT = "123456789012";
    private static final String TABLE = "jobs";

    @Test
    void queuesMessagesAndItemsSurviveARestartWithTheSameDirectory(@TempDir Path data) {
        Map<QueueAttributeName, String> attributesBefore;
        Map<String, String> tagsBefore;
        String receivedOnceId;
        List<String> sentIds = new ArrayList<>();

        try (Emulators emulators = start(Optional.of(data)); Clients clients = new Clients(emulators)) {
            SqsClient sqs = clients.sqs;
            String dlqUrl = sqs.createQueue(b -> b.queueName("orders-dlq")).queueUrl();
            String dlqArn = arn(sqs, dlqUrl);
            assertThat(dlqArn).isEqualTo("arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":orders-dlq");
            Map<String, String> created = new HashMap<>(ordersAttributes(dlqArn));
            created.put(QueueAttributeName.VISIBILITY_TIMEOUT.toString(), "30");
            String url = sqs.createQueue(b -> b.queueName("orders").attributesWithStrings(created)).queueUrl();
            // Changed after the create: the stored queue follows.
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45")));
            sqs.tagQueue(b -> b.queueUrl(url).tags(Map.of("team", "jobs")));

            for (int i = 1; i <= 3; i++) {
                int n = i;
                sentIds.add(sqs.sendMessage(b -> b.queueUrl(url).messageBody("order " + n).messageAttributes(Map.of(
                        "kind", MessageAttributeValue.builder().dataType("String").stringValue("order").build(),
                        "number", MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(n)).build(),
                        "raw", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("b" + n)).build())))
                        .messageId());
            }
            // Received once and left to come back: visible again a second after the receive.
            List<Message> first = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).visibilityTimeout(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            assertThat(first).hasSize(1);
            assertThat(first.get(0).attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1");
            receivedOnceId = first.get(0).messageId();

            attributesBefore = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
            tagsBefore = sqs.listQueueTags(b -> b.queueUrl(url)).tags();

            DynamoDbClient dynamo = clients.dynamo;
            dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
            dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("id", s("job-1"), "status", s("QUEUED"))));
        }

        try (Emulators emulators = start(Optional.of(data)); Clients clients = new Clients(emulators)) {
            SqsClient sqs = clients.sqs;
            assertThat(sqs.listQueues().queueUrls()).hasSize(2);
            String url = sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl();
            String dlqUrl = sqs.getQueueUrl(b -> b.queueName("orders-dlq")).queueUrl();

            Map<QueueAttributeName, String> attributesAfter =
                    sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(withoutCounts(attributesAfter)).isEqualTo(withoutCounts(attributesBefore));
            assertThat(attributesAfter).containsEntry(QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":orders")
                    .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "45")
                    .containsEntry(QueueAttributeName.DELAY_SECONDS, "0")
                    .containsEntry(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "1");
            assertThat(Integer.parseInt(attributesAfter.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Integer.parseInt(attributesAfter.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))).isEqualTo(3);
            assertThat(attributesAfter.get(QueueAttributeName.REDRIVE_POLICY)).contains("orders-dlq").contains("2");
            assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags()).isEqualTo(tagsBefore).containsEntry("team", "jobs");

            // What LocalResources does on every start: the same CreateQueue again is accepted and changes nothing.
            String dlqArn = arn(sqs, dlqUrl);
            assertThat(sqs.createQueue(b -> b.queueName("orders").attributesWithStrings(ordersAttributes(dlqArn))).queueUrl()).isEqualTo(url);

            Map<String, Message> received = receiveAll(sqs, url, 3);
            assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(sentIds);
            for (Message message : received.values()) {
                String n = message.body().substring("order ".length());
                assertThat(message.messageAttributes().get("kind").stringValue()).isEqualTo("order");
                assertThat(message.messageAttributes().get("number").stringValue()).isEqualTo(n);
                assertThat(message.messageAttributes().get("raw").binaryValue().asUtf8String()).isEqualTo("b" + n);
                assertThat(message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                        .isEqualTo(message.messageId().equals(receivedOnceId) ? "2" : "1");
            }
            assertThat(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(0)).messages()).isEmpty();

            // The redrive policy still acts: received twice (maxReceiveCount 2), the next receive moves it to the DLQ.
            Message twice = received.get(receivedOnceId);
            sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(twice.receiptHandle()).visibilityTimeout(0));
            assertThat(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(0)).messages()).isEmpty();
            List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(1)).messages();
            assertThat(dead).extracting(Message::messageId).containsExactly(receivedOnceId);

            Map<String, AttributeValue> item = clients.dynamo.getItem(b -> b.tableName(TABLE).key(Map.of("id", s("job-1")))).item();
            assertThat(item).containsEntry("status", s("QUEUED"));
        }
    }

    @Test
    void deletedMessagesAndQueuesStayDeletedAndInFlightOnesStayInFlight(@TempDir Path data) {
        String inFlightReceipt;
        try (Emulators emulators = start(Optional.of(data)); Clients clients = new Clients(emulators)) {
            SqsClient sqs = clients.sqs;
            String gone = sqs.createQueue(b -> b.queueName("gone")).queueUrl();
            String kept = sqs.createQueue(b -> b.queueName("kept")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(kept).messageBody("in flight"));
            sqs.sendMessage(b -> b.queueUrl(kept).messageBody("deleted"));
            Map<String, Message> received = receiveAll(sqs, kept, 2);
            Message deleted = received.values().stream().filter(m -> m.body().equals("deleted")).findFirst().orElseThrow();
            sqs.deleteMessage(b -> b.queueUrl(kept).receiptHandle(deleted.receiptHandle()));
            inFlightReceipt = received.values().stream().filter(m -> m.body().equals("in flight")).findFirst().orElseThrow().receiptHandle();
            sqs.deleteQueue(b -> b.queueUrl(gone));
        }
        try (Emulators emulators = start(Optional.of(data)); Clients clients = new Clients(emulators)) {
            SqsClient sqs = clients.sqs;
            assertThat(sqs.listQueues().queueUrls()).hasSize(1).allMatch(u -> u.endsWith("/kept"));
            String kept = sqs.getQueueUrl(b -> b.queueName("kept")).queueUrl();
            // Received before the stop with the default 30 s visibility: still in flight after the start...
            assertThat(sqs.getQueueAttributes(b -> b.queueUrl(kept).attributeNames(QueueAttributeName.ALL)).attributes())
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1");
            // ...and its receipt handle from before the stop still deletes it.
            sqs.deleteMessage(b -> b.queueUrl(kept).receiptHandle(inFlightReceipt));
            assertThat(sqs.getQueueAttributes(b -> b.queueUrl(kept).attributeNames(QueueAttributeName.ALL)).attributes())
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
                    .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
        }
    }

    @Test
    void inMemoryKeepsNothingBetweenStarts() {
        try (Emulators emulators = start(Optional.empty()); Clients clients = new Clients(emulators)) {
            String url = clients.sqs.createQueue(b -> b.queueName("orders")).queueUrl();
            clients.sqs.sendMessage(b -> b.queueUrl(url).messageBody("order 1"));
            assertThat(arn(clients.sqs, url)).isEqualTo("arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":orders");
            clients.dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        }
        try (Emulators emulators = start(Optional.empty()); Clients clients = new Clients(emulators)) {
            assertThat(clients.sqs.listQueues().queueUrls()).isEmpty();
            assertThat(clients.dynamo.listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void oneDataDirectoryAtATimePerJvm(@TempDir Path first, @TempDir Path second) {
        try (Emulators emulators = start(Optional.of(first)); Clients clients = new Clients(emulators)) {
            String url = clients.sqs.createQueue(b -> b.queueName("orders")).queueUrl();
            assertThatThrownBy(() -> start(Optional.of(second)))
                    .hasMessageContaining("ElasticMQ already keeps its state in " + first.resolve("sqs"));
            // The refused start left the running one alone.
            clients.sqs.sendMessage(b -> b.queueUrl(url).messageBody("still works"));
            assertThat(receiveAll(clients.sqs, url, 1)).hasSize(1);
        }
        // Once the first is closed, another directory is fine, and starts empty.
        try (Emulators emulators = start(Optional.of(second)); Clients clients = new Clients(emulators)) {
            assertThat(clients.sqs.listQueues().queueUrls()).isEmpty();
        }
    }

    private static Emulators start(Optional<Path> data) {
        return Emulators.start(HOST, 0, 0, REGION, ACCOUNT, data);
    }

    private static Map<String, String> ordersAttributes(String dlqArn) {
        return Map.of(QueueAttributeName.VISIBILITY_TIMEOUT.toString(), "45",
                QueueAttributeName.DELAY_SECONDS.toString(), "0",
                QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS.toString(), "1",
                QueueAttributeName.REDRIVE_POLICY.toString(), "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}");
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Receives until {@code count} distinct messages came (each with its receive count and attributes), or fails. */
    private static Map<String, Message> receiveAll(SqsClient sqs, String url, int count) {
        Map<String, Message> received = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All"))
                    .messages().forEach(m -> received.put(m.messageId(), m));
        }
        assertThat(received).hasSize(count);
        return received;
    }

    private static Map<QueueAttributeName, String> withoutCounts(Map<QueueAttributeName, String> attributes) {
        Map<QueueAttributeName, String> rest = new HashMap<>(attributes);
        rest.keySet().removeIf(name -> name.toString().startsWith("ApproximateNumberOfMessages"));
        return rest;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static final class Clients implements AutoCloseable {
        final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
        final SqsClient sqs;
        final DynamoDbClient dynamo;

        Clients(Emulators emulators) {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
            sqs = SqsClient.builder().httpClient(http).region(Region.of(REGION)).credentialsProvider(credentials)
                    .endpointOverride(emulators.sqsEndpoint()).build();
            dynamo = DynamoDbClient.builder().httpClient(http).region(Region.of(REGION)).credentialsProvider(credentials)
                    .endpointOverride(emulators.dynamoEndpoint()).build();
        }

        @Override
        public void close() {
            sqs.close();
            dynamo.close();
            http.close();
        }
    }
}
