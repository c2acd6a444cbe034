package io.jobpipeline.local.emulator;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The child JVM of {@link AcknowledgedWritesSurviveSigkillTest}: the emulators on {@code args[0]}, then, as the intake
 * does, a PutItem and then a SendMessage per job from two threads, printing {@code acked N} once both were answered,
 * until it is killed.
 */
public final class AcknowledgedWriter {
    static final String QUEUE = "jobs";
    static final String TABLE = "jobs";
    static final String REGION = "eu-west-1";

    private AcknowledgedWriter() {}

    public static void main(String[] args) throws InterruptedException {
        Emulators emulators = Emulators.start("127.0.0.1", 0, 0, REGION, "123456789012", Optional.of(Path.of(args[0])));
        SdkHttpClient http = UrlConnectionHttpClient.builder().build();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        SqsClient sqs = SqsClient.builder().httpClient(http).region(Region.of(REGION)).credentialsProvider(credentials)
                .endpointOverride(emulators.sqsEndpoint()).build();
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).region(Region.of(REGION))
                .credentialsProvider(credentials).endpointOverride(emulators.dynamoEndpoint()).build();
        String url = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(d -> d.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
        System.out.println("ready " + emulators.sqsEndpoint() + " " + emulators.dynamoEndpoint());
        System.out.flush();
        AtomicInteger next = new AtomicInteger();
        Runnable writer = () -> {
            while (true) {
                String id = Integer.toString(next.incrementAndGet());
                dynamo.putItem(b -> b.tableName(TABLE).item(Map.of("id", AttributeValue.fromS(id))));
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(id));
                synchronized (System.out) {
                    System.out.println("acked " + id);
                    System.out.flush();
                }
            }
        };
        Thread first = Thread.ofPlatform().start(writer);
        Thread second = Thread.ofPlatform().start(writer);
        first.join();
        second.join();
    }
}
