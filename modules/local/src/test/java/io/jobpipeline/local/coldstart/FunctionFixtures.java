package io.jobpipeline.local.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.template.FunctionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a fresh JVM needs to run one of the template's functions against a running local stack: the environment Lambda
 * and the template give it, pointed at the stack, and a real event of the function's source (an HTTP API v2 POST
 * /jobs, an SQS batch of one job message whose job is stored, an EventBridge JobCompleted), fresh ids each time.
 */
public final class FunctionFixtures {
    public static final String PRODUCER = "coldstart-producer";
    /** The job each invocation submits or runs. */
    static final String VEHICLE = """
            {"vehicleId": "VAN-042", "plate": "B-JP 4242", "model": "Ford Transit"}""";

    private final LocalPipeline stack;
    private final Path dir;
    private final Clock clock = Clock.systemUTC();

    /** One invocation's event file and the job it is about. */
    public record Invocation(Path event, String jobId, String eventId) {}

    public FunctionFixtures(LocalPipeline stack, Path dir) {
        this.stack = stack;
        this.dir = dir;
    }

    public Map<String, String> environment(FunctionSpec f) {
        try {
            Map<String, String> env = new HashMap<>(stack.template().environmentOf(f, stack.resources()));
            env.put("AWS_REGION", LocalOptions.REGION);
            env.put("AWS_DEFAULT_REGION", LocalOptions.REGION);
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put("AWS_ENDPOINT_URL_SQS", stack.sqsEndpoint().toString());
            env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoEndpoint().toString());
            env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", stack.busEndpoint().toString());
            env.put("AWS_LAMBDA_FUNCTION_NAME", f.logicalId());
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memoryMb()));
            return env;
        } catch (Exception e) {
            throw new IllegalStateException(f.logicalId() + ": " + e.getMessage(), e);
        }
    }

    /** A fresh event for {@code f}, written to a file. */
    public Invocation next(FunctionSpec f) {
        if (!f.httpRoutes().isEmpty()) {
            return httpApi();
        }
        if (!f.sqsSources().isEmpty()) {
            return sqs(f.sqsSources().get(0).queueLogicalId());
        }
        if (!f.rules().isEmpty()) {
            return eventBridge();
        }
        throw new IllegalArgumentException(f.logicalId() + " has no event source the fixtures know");
    }

    private Invocation httpApi() {
        ObjectNode event = fixture("apigw_http_event.json");
        event.put("routeKey", "POST /jobs").put("rawPath", "/jobs").put("rawQueryString", "")
                .put("body", "{\"type\": \"vehicle.register\", \"payload\": " + VEHICLE + "}").put("isBase64Encoded", false);
        event.remove(java.util.List.of("cookies", "queryStringParameters", "pathParameters", "stageVariables"));
        event.putObject("headers").put("content-type", "application/json");
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("routeKey", "POST /jobs").put("requestId", UUID.randomUUID().toString());
        ((ObjectNode) context.get("http")).put("method", "POST").put("path", "/jobs");
        ((ObjectNode) context.path("authorizer").path("jwt")).putObject("claims").put("sub", PRODUCER);
        return write(event, null, null);
    }

    private Invocation sqs(String queue) {
        Job job = Job.accepted(JobId.next(clock), new JobRequest("vehicle.register", Json.tree(VEHICLE), null, null),
                PRODUCER, clock.instant());
        try {
            new DynamoDbJobStore(stack.clients().dynamoDb(), table()).create(job);
        } catch (Exception e) {
            throw new IllegalStateException("could not store the job the SQS event carries: " + e.getMessage(), e);
        }
        ObjectNode event = fixture("sqs_event_product.json");
        ObjectNode record = (ObjectNode) event.get("Records").get(0);
        record.put("messageId", UUID.randomUUID().toString()).put("receiptHandle", "coldstart-" + UUID.randomUUID())
                .put("body", Json.write(job.message())).put("eventSourceARN", stack.resources().queueArn(queue))
                .put("awsRegion", LocalOptions.REGION).remove("md5OfBody");
        ((ObjectNode) record.get("attributes")).put("SentTimestamp", Long.toString(clock.millis()));
        return write(event, job.id().value(), null);
    }

    private Invocation eventBridge() {
        String jobId = JobId.next(clock).value();
        String eventId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        ObjectNode event = fixture("eventbridge_event.json");
        event.put("id", UUID.randomUUID().toString()).put("detail-type", "JobCompleted").put("source", "jobs.pipeline")
                .put("time", now.toString()).put("region", LocalOptions.REGION).put("account", LocalOptions.ACCOUNT_ID);
        event.putArray("resources");
        event.set("detail", Json.tree("{\"eventId\": \"" + eventId + "\", \"jobId\": \"" + jobId + "\", \"type\": \"vehicle.register\","
                + " \"producer\": \"" + PRODUCER + "\", \"attempt\": 1, \"result\": " + VEHICLE + ", \"acceptedAt\": \""
                + now.minusMillis(400) + "\", \"completedAt\": \"" + now + "\", \"durationMs\": 58}"));
        return write(event, jobId, eventId);
    }

    public String table() {
        return stack.resources().ref("JobsTable");
    }

    private Invocation write(JsonNode event, String jobId, String eventId) {
        try {
            Path file = Files.createTempFile(dir, "event", ".json");
            Files.writeString(file, Json.write(event));
            return new Invocation(file, jobId, eventId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode fixture(String name) {
        try (InputStream in = FunctionFixtures.class.getResourceAsStream("/events/" + name)) {
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
