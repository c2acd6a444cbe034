package io.jobpipeline.local.parity;

import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ListRulesResponse;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the parity suite talks to: SDK clients and the stack's outputs (queue URLs, table, bus, archive, API URL).
 * By default the shared local stack, where the endpoints are the only local thing. With
 * {@code -Dparity.stack=NAME [-Dparity.region=REGION] [-Dparity.token=JWT]} a deployed stack: its outputs come from
 * CloudFormation DescribeStacks and the clients use the default credentials, so the same assertions run against AWS.
 */
final class ParityTarget {

    private static ParityTarget instance;

    private final Optional<LocalPipeline> local;
    private final Map<String, String> outputs;
    private final Duration patience;
    final SqsClient sqs;
    final DynamoDbClient dynamo;
    final EventBridgeClient events;

    private ParityTarget(Optional<LocalPipeline> local, Map<String, String> outputs, Duration patience, SdkClients clients) {
        this.local = local;
        this.outputs = Map.copyOf(outputs);
        this.patience = patience;
        this.sqs = clients.sqs();
        this.dynamo = clients.dynamo();
        this.events = clients.events();
    }

    static synchronized ParityTarget get() {
        if (instance == null) {
            String stack = System.getProperty("parity.stack", "");
            instance = stack.isBlank() ? local() : deployed(stack, Region.of(System.getProperty("parity.region",
                    System.getenv().getOrDefault("AWS_REGION", "us-east-1"))));
        }
        return instance;
    }

    private static ParityTarget local() {
        LocalPipeline stack = SharedLocalStack.get();
        Map<String, String> outputs = new HashMap<>();
        outputs.put("ApiUrl", stack.httpEndpoint().toString());
        for (String queue : new String[] {"JobsQueue", "JobsDeadLetterQueue", "NotificationsDeadLetterQueue", "AnalyticsDeadLetterQueue"}) {
            outputs.put(queue + "Url", stack.resources().queueUrl(queue));
        }
        outputs.put("JobsTableName", stack.resources().ref("JobsTable"));
        outputs.put("EventBusName", stack.template().buses().get("JobsEventBus").name());
        outputs.put("EventBusArn", stack.bus().busArn(outputs.get("EventBusName")));
        outputs.put("EventArchiveName", stack.archives().getFirst().archiveName());
        return new ParityTarget(Optional.of(stack), outputs, Duration.ofSeconds(20), localClients(stack));
    }

    /** Clients of a local stack: any credentials do, the endpoints are the stack's. */
    static SdkClients localClients(LocalPipeline stack) {
        return SdkClients.of(Region.of(stack.template().parameters().getOrDefault("AWS::Region", "us-east-1")),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("parity", "parity")),
                Map.of("sqs", stack.sqsEndpoint(), "dynamodb", stack.dynamoEndpoint(), "events", stack.busEndpoint()));
    }

    private static ParityTarget deployed(String stackName, Region region) {
        Map<String, String> outputs = new HashMap<>();
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        try (CloudFormationClient cloudFormation = SdkClients.build(CloudFormationClient.builder(), region, credentials, null)) {
            for (Output output : cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().getFirst().outputs()) {
                outputs.put(output.outputKey(), output.outputValue());
            }
        }
        // Archive ingestion and replays take minutes in AWS, where they take milliseconds locally.
        Duration patience = Duration.parse(System.getProperty("parity.patience", "PT15M"));
        return new ParityTarget(Optional.empty(), outputs, patience, SdkClients.of(region, credentials, Map.of()));
    }

    boolean isLocal() {
        return local.isPresent();
    }

    /** A stack output by its key in template.yaml's Outputs. */
    String output(String key) {
        String value = outputs.get(key);
        if (value == null) {
            throw new IllegalStateException("the stack has no output " + key + "; outputs: " + outputs.keySet());
        }
        return value;
    }

    String table() {
        return output("JobsTableName");
    }

    String busName() {
        return output("EventBusName");
    }

    String busArn() {
        return output("EventBusArn");
    }

    /** The ARN of the bus rule SAM made for {@code <function><event>} (CloudFormation adds a prefix and suffix in AWS). */
    String ruleArn(String logicalName) {
        String token = null;
        do {
            String page = token;
            ListRulesResponse rules = events.listRules(b -> b.eventBusName(busName()).nextToken(page));
            for (Rule rule : rules.rules()) {
                if (rule.name().contains(logicalName)) {
                    return rule.arn();
                }
            }
            token = rules.nextToken();
        } while (token != null);
        throw new IllegalStateException("no rule like " + logicalName + " on " + busName());
    }

    /** A bearer token for {@code producer}: minted with the local key, or {@code -Dparity.token} against AWS. */
    String token(String producer) {
        if (local.isPresent()) {
            return local.get().tokens().mint(producer);
        }
        String token = System.getProperty("parity.token", "");
        Assumptions.assumeFalse(token.isBlank(), "skipped against AWS: give a producer's token as -Dparity.token");
        return token;
    }

    /** The probe stack (an SQS mapping and an HTTP route to a recording function); skipped against AWS. */
    ParityProbe probe() {
        localOnly("the probe function of parity/probe-template.yaml is a test class, deployed only locally");
        return ParityProbe.start();
    }

    /** A local-only capability (a test template's probe function, a forged token): skipped, with the reason, against AWS. */
    LocalPipeline localOnly(String reason) {
        Assumptions.assumeTrue(local.isPresent(), () -> "skipped against AWS: " + reason);
        return local.get();
    }

    /** Polls until {@code condition} holds, for as long as the target needs (seconds locally, minutes in AWS). */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + patience + " waiting for " + what);
            }
            Thread.sleep(isLocal() ? 25 : 2_000);
        }
    }
}
