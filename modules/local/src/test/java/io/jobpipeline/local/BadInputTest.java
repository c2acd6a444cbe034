package io.jobpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Bad requests get a problem+json that says what is wrong, and leave no job behind. */
class BadInputTest {
    private static LocalPipeline stack;
    private static URI api;

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        api = stack.httpEndpoint();
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(TestHttp.postJson(api, "/jobs", "{\"type\": \"vehicle.register\", \"payload\": {"), 400, "not valid JSON");
    }

    @Test
    void duplicateKeysAre400() {
        assertProblem(TestHttp.postJson(api, "/jobs", "{\"type\":\"a.b\",\"type\":\"c.d\",\"payload\":{}}"), 400, "Duplicate field");
    }

    @Test
    void notJsonIs415() {
        assertProblem(TestHttp.post(api, "/jobs", "text/plain", "type=vehicle.register".getBytes(StandardCharsets.UTF_8)), 415, "application/json");
    }

    @Test
    void invalidUtf8Is400() {
        byte[] body = {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertProblem(TestHttp.post(api, "/jobs", "application/json", body), 400, "UTF-8");
    }

    @Test
    void oversizeBodyIs413AndNamesTheSqsLimit() {
        String big = "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"" + "x".repeat(300_000) + "\"}}";
        assertProblem(TestHttp.postJson(api, "/jobs", big), 413, "256 KiB");
    }

    @Test
    void unknownJobTypeIs422() {
        TestHttp.Response r = TestHttp.postJson(api, "/jobs", "{\"type\":\"vehicle.paint\",\"payload\":{}}");
        assertProblem(r, 422, "unknown job type");
        assertThat(r.json().get("errors").get(0).get("pointer").asText()).isEqualTo("/type");
    }

    @Test
    void schemaViolationsAre422WithEveryPointer() {
        TestHttp.Response r = TestHttp.postJson(api, "/jobs",
                "{\"type\":\"inspection.submit\",\"payload\":{\"vehicleId\":\"VAN-1\",\"odometerKm\":-5,\"items\":[{\"name\":\"brakes\",\"ok\":\"yes\"}]}}");
        assertProblem(r, 422, "inspection.submit");
        assertThat(r.json().get("errors").findValuesAsText("pointer"))
                .contains("/payload", "/payload/odometerKm", "/payload/items/0/ok");
    }

    @Test
    void rejectedRequestsStoreNoJob() {
        long before = jobCount(stack.clients().dynamoDb());
        TestHttp.postJson(api, "/jobs", "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"\"}}");
        TestHttp.postJson(api, "/jobs", "[1,2,3]");
        TestHttp.post(api, "/jobs", null, "{}".getBytes(StandardCharsets.UTF_8));
        TestHttp.postJson(api, "/jobs", "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V\",\"plate\":\"P\",\"model\":\"M\"},\"delaySeconds\":901}");
        assertThat(jobCount(stack.clients().dynamoDb())).isEqualTo(before);
    }

    private static void assertProblem(TestHttp.Response response, int status, String detailMentions) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("title").asText()).isNotBlank();
        assertThat(response.json().get("type").asText()).startsWith("https://");
        assertThat(response.json().get("detail").asText()).containsIgnoringCase(detailMentions);
    }

    /** Jobs are the only items whose sort key is JOB; a rejected request must not add one. */
    static long jobCount(DynamoDbClient dynamo) {
        return dynamo.scanPaginator(b -> b.tableName("JobsTable").filterExpression("SK = :job")
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromS("JOB")))).items().stream().count();
    }
}
