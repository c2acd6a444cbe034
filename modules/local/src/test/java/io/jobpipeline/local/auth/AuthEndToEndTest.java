package io.jobpipeline.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import io.jobpipeline.local.http.LocalSigningKey;
import io.jobpipeline.local.http.LocalTokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The template's JWT authorizer in front of the real intake, on the local stack built from template.yaml. */
class AuthEndToEndTest {
    private static final String VEHICLE = "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-%s\",\"plate\":\"B-AU %s\",\"model\":\"Ford Transit\"}}";
    private static LocalPipeline stack;
    private static URI api;
    private static LocalTokens tokens;

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
        api = stack.httpEndpoint();
        tokens = stack.tokens();
    }

    @Test
    void theTemplateGuardsEveryIntakeRoute() {
        assertThat(stack.template().authorizers()).singleElement().satisfies(a -> {
            assertThat(a.issuer()).isEqualTo("https://auth.jobpipeline.local");
            assertThat(a.audience()).containsExactly("jobs-api");
            assertThat(a.routes()).hasSize(stack.template().functions().get("IntakeFunction").httpRoutes().size());
        });
    }

    @Test
    void withoutATokenEveryRouteIs401AndTheIntakeNeverRuns() {
        long anonymousJobs = jobsOf("anonymous");

        TestHttp.Response submit = TestHttp.postJson(api, "/jobs", VEHICLE.formatted("401", "401"), null);
        assertThat(submit.status()).isEqualTo(401);
        assertThat(submit.json().toString()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(submit.raw().headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(TestHttp.get(api, "/jobs/0190c2a4-0000-7000-8000-000000000000", null).status()).isEqualTo(401);
        assertThat(TestHttp.get(api, "/stats", null).status()).isEqualTo(401);
        // A job the intake took without a token would belong to "anonymous"; none was stored.
        assertThat(jobsOf("anonymous")).isEqualTo(anonymousJobs);
    }

    @Test
    void refusedTokensAre401AndStoreNothing() {
        long before = jobsOf("mallory");
        Map<String, String> refused = Map.of(
                "signed with another key", LocalTokens.of(stack.template().authorizers().get(0), LocalSigningKey.generate()).mint("mallory"),
                "for another audience", tokens.sign(tokens.claims("mallory", Duration.ofHours(1)).audience("billing-api").build()),
                "from another issuer", tokens.sign(tokens.claims("mallory", Duration.ofHours(1)).issuer("https://evil.example").build()),
                "expired", tokens.sign(tokens.claims("mallory", Duration.ofHours(1))
                        .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))).build()));
        refused.forEach((what, token) -> {
            TestHttp.Response response = TestHttp.postJson(api, "/jobs", VEHICLE.formatted("M", "M"), token);
            assertThat(response.status()).as(what).isEqualTo(401);
            assertThat(response.raw().headers().firstValue("www-authenticate")).as(what).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer").contains("invalid_token"));
        });
        assertThat(jobsOf("mallory")).isEqualTo(before);
    }

    @Test
    void aGoodTokenMakesItsSubTheJobsProducerAndHidesTheJobFromOthers() throws Exception {
        String alice = tokens.mint("producer-alice");
        String bob = tokens.mint("producer-bob");

        TestHttp.Response accepted = TestHttp.postJson(api, "/jobs", VEHICLE.formatted("ALICE", "AL 1"), alice);
        assertThat(accepted.status()).isEqualTo(202);
        String jobId = accepted.json().get("jobId").asText();

        var item = dynamo().getItem(b -> b.tableName("JobsTable").key(Map.of("PK", AttributeValue.fromS("JOB#" + jobId),
                "SK", AttributeValue.fromS("JOB")))).item();
        assertThat(item.get("producer").s()).isEqualTo("producer-alice");

        TestHttp.Response own = TestHttp.await(api, "/jobs/" + jobId, r -> r.status() == 200
                && r.json().get("status").asText().equals("COMPLETED"), Duration.ofSeconds(15), alice);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("jobId").asText()).isEqualTo(jobId);

        TestHttp.Response others = TestHttp.get(api, "/jobs/" + jobId, bob);
        assertThat(others.status()).isEqualTo(404);
        assertThat(others.contentType()).isEqualTo("application/problem+json");
        assertThat(TestHttp.get(api, "/jobs/" + jobId, TestHttp.defaultToken()).status()).isEqualTo(404);
    }

    @Test
    void healthNeedsNoToken() {
        assertThat(TestHttp.get(api, "/health", null).status()).isEqualTo(200);
    }

    private static long jobsOf(String producer) {
        return dynamo().query(b -> b.tableName("JobsTable").indexName("ByProducer").keyConditionExpression("GSI1PK = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("PRODUCER#" + producer)))).count();
    }

    private static DynamoDbClient dynamo() {
        return stack.clients().dynamoDb();
    }
}
