package io.jobpipeline.local;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The local stack's own SDK clients (pollers, resource creation, rule dead-letter queues). */
public final class LocalClients implements AutoCloseable {
    private final SdkHttpClient http;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;

    LocalClients(URI sqsEndpoint, URI dynamoEndpoint, String region, LocalWiring wiring) {
        this.http = wiring.stackHttpClient(UrlConnectionHttpClient.builder().build());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        this.sqs = SqsClient.builder().httpClient(http).region(Region.of(region)).credentialsProvider(credentials)
                .endpointOverride(sqsEndpoint).build();
        this.dynamo = DynamoDbClient.builder().httpClient(http).region(Region.of(region)).credentialsProvider(credentials)
                .endpointOverride(dynamoEndpoint).build();
    }

    public SqsClient sqs() {
        return sqs;
    }

    public DynamoDbClient dynamoDb() {
        return dynamo;
    }

    @Override
    public void close() {
        sqs.close();
        dynamo.close();
        http.close();
    }
}
