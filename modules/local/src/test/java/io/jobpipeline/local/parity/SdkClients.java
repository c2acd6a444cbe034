package io.jobpipeline.local.parity;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SDK clients the suite uses, built one way for both targets: only the endpoints (none for AWS) differ. */
record SdkClients(SqsClient sqs, DynamoDbClient dynamo, EventBridgeClient events) {

    /** {@code endpoints}: "sqs", "dynamodb", "events" to a local endpoint; a missing key means AWS's own. */
    static SdkClients of(Region region, AwsCredentialsProvider credentials, Map<String, URI> endpoints) {
        return new SdkClients(build(SqsClient.builder(), region, credentials, endpoints.get("sqs")),
                build(DynamoDbClient.builder(), region, credentials, endpoints.get("dynamodb")),
                build(EventBridgeClient.builder(), region, credentials, endpoints.get("events")));
    }

    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, Region region,
            AwsCredentialsProvider credentials, URI endpoint) {
        builder.region(region).credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
