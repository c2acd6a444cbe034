import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The reference: an intake written the way the common samples write one. SDK default HTTP client (Apache, found on
 * the class path), clients and ObjectMapper built inside handleRequest, no priming. Same two calls as the intake:
 * PutItem of the job record, SendMessage of its message.
 */
public final class SampleIntakeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            JsonNode job = mapper.readTree(event.getBody());
            String id = UUID.randomUUID().toString();
            // Written once here: the SDK's request lambdas cannot throw Jackson's checked exception.
            String body = mapper.writeValueAsString(job);
            DynamoDbClient dynamo = DynamoDbClient.create();
            dynamo.putItem(b -> b.tableName(System.getenv("JOBS_TABLE")).item(Map.of(
                    "PK", AttributeValue.fromS("JOB#" + id), "SK", AttributeValue.fromS("JOB"),
                    "payload", AttributeValue.fromS(body))));
            SqsClient sqs = SqsClient.create();
            sqs.sendMessage(b -> b.queueUrl(System.getenv("JOBS_QUEUE_URL")).messageBody(body));
            return APIGatewayV2HTTPResponse.builder().withStatusCode(202)
                    .withBody(mapper.writeValueAsString(Map.of("jobId", id))).build();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
