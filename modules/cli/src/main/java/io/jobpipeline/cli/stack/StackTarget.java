package io.jobpipeline.cli.stack;

import io.jobpipeline.cli.CliFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The stack an operator's command works on, resolved once: the local stack (the template's local names on the local
 * endpoints), or a deployed stack (names from its CloudFormation outputs). Builds the SDK clients, once, and answers
 * queue URLs and ARNs, the table, the bus and its archive by the template's logical ids.
 */
public final class StackTarget implements AutoCloseable {
    /** The local stack's region and account (LocalOptions of the local module). */
    public static final String LOCAL_REGION = "us-east-1";
    public static final String LOCAL_ACCOUNT = "000000000000";

    /** Endpoint overrides; null: the service's own AWS endpoint. {@code all} is --endpoint (CloudFormation, STS). */
    public record Endpoints(URI sqs, URI dynamoDb, URI events, URI all) {}

    private final StackTemplate template;
    private final String stackName;
    private final boolean deployed;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Endpoints endpoints;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(30)).build();
    private final Map<String, String> queueUrls = new LinkedHashMap<>();
    private final Map<String, String> queueArns = new LinkedHashMap<>();
    private SqsClient sqs;
    private DynamoDbClient dynamo;
    private EventBridgeClient events;
    private Map<String, String> outputs;

    private StackTarget(StackTemplate template, String stackName, boolean deployed, Region region,
                        AwsCredentialsProvider credentials, Endpoints endpoints) {
        this.template = template;
        this.stackName = stackName;
        this.deployed = deployed;
        this.region = region;
        this.credentials = credentials;
        this.endpoints = endpoints;
    }

    static StackTarget local(StackTemplate template, Endpoints endpoints) {
        // The local stack takes any credentials; these keep the SDK from looking for real ones.
        return new StackTarget(template, StackTemplate.LOCAL_STACK_NAME, false, Region.of(LOCAL_REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), endpoints);
    }

    static StackTarget deployed(StackTemplate template, String stackName, String region, String profile, Endpoints endpoints) {
        Region resolved;
        if (region != null) {
            resolved = Region.of(region);
        } else {
            try {
                var chain = DefaultAwsRegionProviderChain.builder();
                if (profile != null) {
                    chain.profileName(profile);
                }
                resolved = chain.build().getRegion();
            } catch (SdkClientException e) {
                throw CliFailure.usage("no AWS region for stack " + stackName + ": give --region REGION or set AWS_REGION");
            }
        }
        AwsCredentialsProvider credentials = profile != null ? ProfileCredentialsProvider.create(profile)
                : DefaultCredentialsProvider.builder().build();
        return new StackTarget(template, stackName, true, resolved, credentials, endpoints);
    }

    public StackTemplate template() {
        return template;
    }

    public boolean isDeployed() {
        return deployed;
    }

    public String stackName() {
        return stackName;
    }

    /** For messages: "stack job-pipeline in eu-central-1" or "the local stack". */
    public String describe() {
        return deployed ? "stack " + stackName + " in " + region.id() : "the local stack (" + template.file().getFileName() + ")";
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = configure(SqsClient.builder(), endpoints.sqs()).build();
        }
        return sqs;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamo == null) {
            dynamo = configure(DynamoDbClient.builder(), endpoints.dynamoDb()).build();
        }
        return dynamo;
    }

    public synchronized EventBridgeClient events() {
        if (events == null) {
            events = configure(EventBridgeClient.builder(), endpoints.events()).build();
        }
        return events;
    }

    /** The URL of the template's queue {@code logicalId}; a bad usage if the template has no such queue. */
    public String queueUrl(String logicalId) {
        if (!template.hasQueue(logicalId)) {
            throw CliFailure.usage("no queue " + logicalId + " in stack " + stackName + "; dlq list shows the queues");
        }
        return queueUrls.computeIfAbsent(logicalId, id -> deployed
                ? output(template.outputFor(id, true), "the URL of queue " + id)
                : urlOfName(template.localQueueName(id)));
    }

    /** A queue to send to: one of the template's by logical id, a queue URL, or any queue of that name at the endpoint. */
    public String anyQueueUrl(String nameOrUrl) {
        if (template.hasQueue(nameOrUrl)) {
            return queueUrl(nameOrUrl);
        }
        if (nameOrUrl.startsWith("https://") || nameOrUrl.startsWith("http://")) {
            return nameOrUrl;
        }
        return urlOfName(nameOrUrl);
    }

    public String queueArn(String queueUrl) {
        return queueArns.computeIfAbsent(queueUrl, url -> sqs().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN));
    }

    public String tableName() {
        return deployed ? output(template.outputFor(template.table(), true), "the table's name") : template.localTableName();
    }

    public String busName() {
        return deployed ? output(template.outputFor(template.bus(), true), "the event bus's name") : template.localBusName();
    }

    public String busArn() {
        return deployed ? output(template.outputFor(template.bus(), false), "the event bus's ARN")
                : "arn:aws:events:" + region.id() + ":" + LOCAL_ACCOUNT + ":event-bus/" + busName();
    }

    /** The bus archive's ARN (same account and region as the bus). */
    public String archiveArn() {
        String id = template.archive().orElseThrow(() -> CliFailure.failed(template.file() + " has no AWS::Events::Archive to replay from"));
        String name = deployed ? output(template.outputFor(id, true), "the archive's name") : template.localArchiveName().orElseThrow();
        String[] bus = busArn().split(":", 6);
        return "arn:aws:events:" + bus[3] + ":" + bus[4] + ":archive/" + name;
    }

    /** A rule's ARN on the bus, by name, as EventBridge writes it for custom buses. */
    public String ruleArn(String ruleName) {
        String[] bus = busArn().split(":", 6);
        return "arn:aws:events:" + bus[3] + ":" + bus[4] + ":rule/" + busName() + "/" + ruleName;
    }

    /** Who runs the command: the caller's ARN in AWS (STS), else the OS user. */
    public String operator() {
        String user = System.getProperty("user.name", "unknown");
        if (!deployed) {
            return user;
        }
        try (StsClient sts = configure(StsClient.builder(), endpoints.all()).build()) {
            return sts.getCallerIdentity().arn();
        } catch (RuntimeException e) {
            return user;
        }
    }

    /** The one-line failure for an endpoint that did not answer: which one, and how to get it going. */
    public CliFailure unreachable(SdkClientException e) {
        if (!deployed) {
            // In a fixed order (Map.of has none), so the same failure always names the same service.
            for (var service : List.of(Map.entry("SQS", Optional.ofNullable(endpoints.sqs())),
                    Map.entry("DynamoDB", Optional.ofNullable(endpoints.dynamoDb())),
                    Map.entry("EventBridge", Optional.ofNullable(endpoints.events())))) {
                URI endpoint = service.getValue().orElse(null);
                if (endpoint != null && !answers(endpoint)) {
                    return CliFailure.failed("cannot reach " + service.getKey() + " at " + endpoint
                            + "; start the local stack with ./pipeline up (or give --endpoint URL, or --stack NAME --region REGION)");
                }
            }
        }
        String cause = Optional.ofNullable(e.getMessage()).map(m -> m.lines().findFirst().orElse("")).orElse(e.toString());
        return CliFailure.failed("cannot reach AWS for " + describe() + ": " + cause + "; check --region, --profile and the network");
    }

    private static boolean answers(URI endpoint) {
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String urlOfName(String name) {
        try {
            return sqs().getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            throw CliFailure.failed("there is no queue " + name + " at " + (endpoints.sqs() == null ? "SQS" : endpoints.sqs())
                    + "; is ./pipeline up running with " + template.file().getFileName() + "?");
        }
    }

    private String output(Optional<String> key, String what) {
        String name = key.orElseThrow(() -> CliFailure.failed(template.file() + " has no output with " + what));
        String value = outputs().get(name);
        if (value == null) {
            throw CliFailure.failed("stack " + stackName + " has no output " + name + " (" + what + "); deploy the current template.yaml");
        }
        return value;
    }

    private synchronized Map<String, String> outputs() {
        if (outputs == null) {
            try (CloudFormationClient cfn = configure(CloudFormationClient.builder(), endpoints.all()).build()) {
                Map<String, String> found = new LinkedHashMap<>();
                cfn.describeStacks(b -> b.stackName(stackName)).stacks().get(0).outputs()
                        .forEach(o -> found.put(o.outputKey(), o.outputValue()));
                outputs = found;
            } catch (CloudFormationException e) {
                if (e.statusCode() == 400 && String.valueOf(e.getMessage()).contains("does not exist")) {
                    throw CliFailure.usage("no stack " + stackName + " in " + region.id() + "; give --stack NAME (and --region)");
                }
                throw CliFailure.failed("CloudFormation refused DescribeStacks of " + stackName + ": "
                        + e.awsErrorDetails().errorMessage());
            }
        }
        return outputs;
    }

    private <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        builder.region(region).credentialsProvider(credentials).httpClient(http);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable client : new AutoCloseable[] {sqs, dynamo, events}) {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // closing: nothing to do about it
                }
            }
        }
        http.close();
    }
}
