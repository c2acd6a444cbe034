package io.jobpipeline.local.intake;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.settings.Environment;
import io.jobpipeline.intake.IntakeHandler;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.faults.FaultyHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * An {@link IntakeHandler} of its own against the shared stack's ElasticMQ and DynamoDB Local, its SDK clients on a
 * {@link FaultyHttpClient}, sending to a queue of its own that no worker polls: every message the intake sent stays
 * there to be counted, and every job record it wrote stays QUEUED. Invoked with API Gateway v2 events built from the
 * fixture {@code events/apigw_http_event.json}, the producer as the JWT's {@code sub}.
 */
final class IntakeRig implements AutoCloseable {
    static final String TABLE = "JobsTable";

    final FaultyHttpClient http = new FaultyHttpClient(UrlConnectionHttpClient.builder().build());
    final String producer = "rig-" + UUID.randomUUID();
    final String queueUrl;
    final IntakeHandler handler;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private final AwsClients clients;

    IntakeRig() {
        LocalPipeline stack = SharedLocalStack.get();
        this.sqs = stack.clients().sqs();
        this.dynamo = stack.clients().dynamoDb();
        this.queueUrl = sqs.createQueue(b -> b.queueName("intake-rig-" + UUID.randomUUID())).queueUrl();
        Map<String, String> env = new HashMap<>();
        env.put("JOBS_TABLE", TABLE);
        env.put("JOBS_QUEUE_URL", queueUrl);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_SQS", stack.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.dynamoEndpoint().toString());
        this.clients = new AwsClients(new Environment(env), http);
        this.handler = new IntakeHandler(env, clients);
    }

    APIGatewayV2HTTPResponse post(String path, String body) {
        return post(path, body, Map.of(), null);
    }

    APIGatewayV2HTTPResponse post(String path, String body, Map<String, String> headers, Context context) {
        return handler.handleRequest(event("POST", path, body, headers), context);
    }

    /** The fixture, turned into {@code method path} with a JSON body, as this rig's producer. */
    APIGatewayV2HTTPEvent event(String method, String path, String body, Map<String, String> headers) {
        APIGatewayV2HTTPEvent event;
        try (InputStream in = IntakeRig.class.getResourceAsStream("/events/apigw_http_event.json")) {
            event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, IntakeRig.class.getClassLoader()).fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", "application/json");
        event.setRouteKey(method + " " + path);
        event.setRawPath(path);
        event.setRawQueryString("");
        event.setQueryStringParameters(null);
        event.setPathParameters(null);
        event.setHeaders(all);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        event.getRequestContext().setRouteKey(method + " " + path);
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("sub", producer));
        return event;
    }

    /** Every message now visible on the rig's queue, as parsed bodies; they stay invisible afterwards. */
    List<JsonNode> drain() {
        List<JsonNode> bodies = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(600).waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return bodies;
            }
            batch.forEach(m -> bodies.add(Json.tree(m.body())));
        }
    }

    /** The job records of this rig's producer, read consistently. */
    List<Map<String, AttributeValue>> records() {
        return dynamo.scanPaginator(b -> b.tableName(TABLE).consistentRead(true)
                .filterExpression("SK = :job AND producer = :producer")
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromS("JOB"), ":producer", AttributeValue.fromS(producer))))
                .items().stream().toList();
    }

    List<String> recordIds() {
        return records().stream().map(item -> item.get("jobId").s()).toList();
    }

    static List<String> jobIds(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("jobId").asText()).toList();
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        return Json.tree(response.getBody());
    }

    static String vehicle(String vehicleId) {
        return "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"" + vehicleId + "\",\"plate\":\"B-JP 1\",\"model\":\"Ford Transit\"}}";
    }

    @Override
    public void close() {
        sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        clients.close();
    }
}
