package io.jobpipeline.aws;

import io.jobpipeline.core.settings.Environment;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients of one function container, once, in the init phase: the URLConnection HTTP client (the
 * cheapest to start), region and credentials from the function's environment, and the endpoint overrides
 * ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_<SERVICE>}) the SDK documents, which only the local stack sets.
 * Each Lambda module depends on the service clients it calls only (they are optional here), so a method whose client
 * is missing fails with NoClassDefFoundError: a jar that calls it must declare it.
 */
public final class AwsClients implements AutoCloseable {
    private final Environment env;
    private final PrimableHttpClient http;
    private final Region region;
    private final AwsCredentialsProvider credentials;

    public AwsClients(Environment env) {
        this(env, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build());
    }

    /** With the HTTP client given, e.g. one that wraps the real one to inject faults; closed with these clients. */
    public AwsClients(Environment env, SdkHttpClient http) {
        this.env = env;
        this.http = new PrimableHttpClient(http);
        this.region = Region.of(env.optional("AWS_REGION").or(() -> env.optional("AWS_DEFAULT_REGION")).orElse("us-east-1"));
        this.credentials = credentials(env);
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder(), "DYNAMODB").httpClient(http).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder(), "SQS").httpClient(http).build();
    }

    /** A DynamoDB client with the caller's retry and timeout policy. */
    public DynamoDbClient dynamoDb(ClientOverrideConfiguration override) {
        return configure(DynamoDbClient.builder(), "DYNAMODB").overrideConfiguration(override).httpClient(http).build();
    }

    /** An SQS client with the caller's retry and timeout policy. */
    public SqsClient sqs(ClientOverrideConfiguration override) {
        return configure(SqsClient.builder(), "SQS").overrideConfiguration(override).httpClient(http).build();
    }

    public EventBridgeClient eventBridge() {
        return configure(EventBridgeClient.builder(), "EVENTBRIDGE").httpClient(http).build();
    }

    /** An EventBridge client with the caller's retry policy and interceptors. */
    public EventBridgeClient eventBridge(ClientOverrideConfiguration override) {
        return configure(EventBridgeClient.builder(), "EVENTBRIDGE").overrideConfiguration(override).httpClient(http).build();
    }

    /** Runs SDK calls of these clients with canned answers, off the network: SnapStart priming ({@link SnapStartPriming}). */
    public void offline(Runnable calls) {
        http.offline(calls);
    }

    public Region region() {
        return region;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
        builder.region(region).credentialsProvider(credentials);
        endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }

    private Optional<URI> endpoint(String service) {
        return env.optional("AWS_ENDPOINT_URL_" + service).or(() -> env.optional("AWS_ENDPOINT_URL")).map(URI::create);
    }

    private static AwsCredentialsProvider credentials(Environment env) {
        Optional<String> key = env.optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = env.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isEmpty() || secret.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(env.optional("AWS_SESSION_TOKEN")
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(t -> AwsSessionCredentials.create(key.get(), secret.get(), t))
                .orElseGet(() -> AwsBasicCredentials.create(key.get(), secret.get())));
    }

    @Override
    public void close() {
        http.close();
    }
}
