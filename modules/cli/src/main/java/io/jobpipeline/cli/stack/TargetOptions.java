package io.jobpipeline.cli.stack;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.PipelineCli;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where an operator's command works: the local stack by default, a deployed stack with {@code --stack/--region/--profile}
 * (names from its outputs), or any endpoint with {@code --endpoint}. One mixin, so every command says it the same way.
 */
public final class TargetOptions {
    static final URI LOCAL_SQS = URI.create("http://127.0.0.1:9324");
    static final URI LOCAL_DYNAMODB = URI.create("http://127.0.0.1:8000");
    static final URI LOCAL_EVENTS = URI.create("http://127.0.0.1:4010");

    @Option(names = "--stack", paramLabel = "NAME", order = 100,
            description = "A deployed stack: queue URLs, table and bus from its CloudFormation outputs (default name with "
                    + "--region/--profile: " + StackTemplate.LOCAL_STACK_NAME + ").")
    String stack;

    @Option(names = "--region", paramLabel = "REGION", order = 101, description = "The deployed stack's region (default: the SDK's, e.g. $AWS_REGION).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", order = 102, description = "The AWS profile whose credentials to use.")
    String profile;

    @Option(names = "--endpoint", paramLabel = "URL", order = 103,
            description = "One endpoint for every AWS service (SQS, DynamoDB, EventBridge, CloudFormation).")
    String endpoint;

    @Option(names = "--sqs-endpoint", paramLabel = "URL", order = 104, description = "SQS only (default locally: " + "http://127.0.0.1:9324).")
    String sqsEndpoint;

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL", order = 105, description = "DynamoDB only (default locally: http://127.0.0.1:8000).")
    String dynamoEndpoint;

    @Option(names = "--events-endpoint", paramLabel = "URL", order = 106, description = "EventBridge only (default locally: http://127.0.0.1:4010).")
    String eventsEndpoint;

    @Option(names = "--template", paramLabel = "FILE", order = 107,
            description = "The template that says which queues are dead-letter queues of what (default: the repository's template.yaml).")
    Path template;

    /** True when names come from a deployed stack's outputs rather than the template's local names. */
    boolean deployed() {
        return stack != null || region != null || profile != null;
    }

    String stackName() {
        return stack != null ? stack : StackTemplate.LOCAL_STACK_NAME;
    }

    /** The endpoint of one service: its own option, else --endpoint, else (local only) the local stack's port. */
    URI endpoint(String own, URI local) {
        if (own != null) {
            return uri(own);
        }
        if (endpoint != null) {
            return uri(endpoint);
        }
        return deployed() ? null : local;
    }

    public StackTarget open(PipelineCli root) {
        Path file = template != null ? template : root.defaultTemplate();
        StackTemplate parsed = StackTemplate.load(file, stackName());
        StackTarget.Endpoints endpoints = new StackTarget.Endpoints(endpoint(sqsEndpoint, LOCAL_SQS),
                endpoint(dynamoEndpoint, LOCAL_DYNAMODB), endpoint(eventsEndpoint, LOCAL_EVENTS),
                endpoint == null ? null : uri(endpoint));
        return deployed()
                ? StackTarget.deployed(parsed, stackName(), region, profile, endpoints)
                : StackTarget.local(parsed, endpoints);
    }

    private static URI uri(String text) {
        try {
            URI uri = URI.create(text.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw CliFailure.usage("an endpoint must be an http(s) URL such as http://127.0.0.1:9324, not " + text);
    }
}
