package io.jobpipeline.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.jobpipeline.local.TestHttp;
import io.jobpipeline.local.http.HttpApiFront;
import io.jobpipeline.local.http.JwtAuthorizer;
import io.jobpipeline.local.http.LocalSigningKey;
import io.jobpipeline.local.http.LocalTokens;
import io.jobpipeline.local.lambda.LocalFunction;
import io.jobpipeline.local.template.FunctionSpec;
import io.jobpipeline.local.template.HttpRoute;
import io.jobpipeline.local.template.JwtAuthorizerSpec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP front's JWT authorizer on its own, in front of a function that echoes its event: what is refused never
 * reaches the function, and what is let through carries the token's claims as API Gateway passes them.
 */
class AuthorizerFrontTest {
    private static final String ISSUER = "https://auth.jobpipeline.local";
    private static final HttpRoute GUARDED = new HttpRoute("POST", "/echo");
    private static final HttpRoute OPEN = new HttpRoute("GET", "/open");
    private static final JwtAuthorizerSpec SPEC = new JwtAuthorizerSpec("JobsApi", "ProducerJwt",
            "$request.header.Authorization", ISSUER, List.of("jobs-api", "other-api"), List.of(GUARDED));
    private static final LocalSigningKey KEY = LocalSigningKey.generate();
    private static final LocalTokens TOKENS = LocalTokens.of(SPEC, KEY);

    private static HttpApiFront front;
    private static URI api;

    @BeforeAll
    static void start() throws Exception {
        front = new HttpApiFront("127.0.0.1", 0, "000000000000", () -> true);
        FunctionSpec echo = new FunctionSpec("Echo", EchoHandler.class.getName(), "handleRequest", 5, 128, List.of(),
                List.of(GUARDED, OPEN), List.of());
        LocalFunction function = LocalFunction.load(echo, "arn:aws:lambda:us-east-1:000000000000:function:Echo", Map.of());
        front.route(GUARDED, function, new JwtAuthorizer(SPEC, KEY));
        front.route(OPEN, function);
        front.start();
        api = front.endpoint();
    }

    @AfterAll
    static void stop() {
        front.close();
    }

    @Test
    void noTokenIs401BeforeTheFunctionRuns() {
        int before = EchoHandler.INVOCATIONS.get();
        TestHttp.Response response = TestHttp.postJson(api, "/echo", "{}", null);
        assertUnauthorized(response);
        assertThat(response.raw().headers().firstValue("www-authenticate")).contains("Bearer");
        assertThat(EchoHandler.INVOCATIONS.get()).isEqualTo(before);
    }

    @Test
    void refusedTokensAre401BeforeTheFunctionRuns() {
        int before = EchoHandler.INVOCATIONS.get();
        Instant now = Instant.now();
        String good = TOKENS.mint("producer-a");
        String[] payloads = good.split("\\.");
        String otherPayload = TOKENS.mint("producer-b").split("\\.")[1];
        Map<String, String> refused = Map.of(
                "another key", LocalTokens.of(SPEC, LocalSigningKey.generate()).mint("producer-a"),
                "another key, same kid", new LocalTokens(forgedKeyWithKid(KEY.keyId()), ISSUER, List.of("jobs-api"),
                        Clock.systemUTC()).mint("producer-a"),
                "a payload its signature is not for", payloads[0] + "." + otherPayload + "." + payloads[2],
                "the wrong audience", TOKENS.sign(TOKENS.claims("producer-a", Duration.ofHours(1)).audience("billing-api").build()),
                "the wrong issuer", TOKENS.sign(TOKENS.claims("producer-a", Duration.ofHours(1)).issuer("https://evil.example").build()),
                "an expired one", TOKENS.sign(TOKENS.claims("producer-a", Duration.ofHours(1))
                        .expirationTime(Date.from(now.minusSeconds(120))).build()),
                "one not valid yet", TOKENS.sign(TOKENS.claims("producer-a", Duration.ofHours(1))
                        .notBeforeTime(Date.from(now.plusSeconds(600))).build()),
                "one without exp", TOKENS.sign(TOKENS.claims("producer-a", Duration.ofHours(1)).expirationTime(null).build()),
                "not a JWT", "abc.def");
        refused.forEach((what, token) -> {
            TestHttp.Response response = TestHttp.postJson(api, "/echo", "{}", token);
            assertThat(response.status()).as(what).isEqualTo(401);
            assertThat(response.raw().headers().firstValue("www-authenticate")).as(what).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer").contains("invalid_token"));
        });
        assertThat(EchoHandler.INVOCATIONS.get()).isEqualTo(before);
    }

    @Test
    void aTokenWithinTheClockSkewIsAccepted() {
        String justExpired = TOKENS.sign(TOKENS.claims("producer-a", Duration.ofHours(1))
                .expirationTime(Date.from(Instant.now().minusSeconds(5))).build());
        assertThat(TestHttp.postJson(api, "/echo", "{}", justExpired).status()).isEqualTo(200);
    }

    @Test
    void aGoodTokenReachesTheFunctionWithItsClaimsAsStrings() throws Exception {
        JWTClaimsSet claims = TOKENS.claims("producer-a", Duration.ofMinutes(5))
                .audience(List.of("other-api", "jobs-api"))
                .claim("fleet_size", 42)
                .claim("ratio", 0.5)
                .claim("admin", true)
                .claim("groups", List.of("dispatch", "drivers"))
                .claim("address", Map.of("city", "Berlin"))
                .claim("scope", "jobs:write jobs:read")
                .build();

        TestHttp.Response response = TestHttp.postJson(api, "/echo", "{\"a\":1}", TOKENS.sign(claims));

        assertThat(response.status()).isEqualTo(200);
        JsonNode event = response.json();
        JsonNode jwt = event.at("/requestContext/authorizer/jwt");
        JsonNode got = jwt.get("claims");
        got.properties().forEach(e -> assertThat(e.getValue().isTextual()).as(e.getKey()).isTrue());
        assertThat(got.get("sub").asText()).isEqualTo("producer-a");
        assertThat(got.get("iss").asText()).isEqualTo(ISSUER);
        assertThat(got.get("aud").asText()).isEqualTo("[other-api jobs-api]");
        assertThat(got.get("exp").asText()).isEqualTo(Long.toString(claims.getExpirationTime().getTime() / 1000));
        assertThat(got.get("iat").asText()).matches("\\d{10}");
        assertThat(got.get("fleet_size").asText()).isEqualTo("42");
        assertThat(got.get("ratio").asText()).isEqualTo("0.5");
        assertThat(got.get("admin").asText()).isEqualTo("true");
        assertThat(got.get("groups").asText()).isEqualTo("[dispatch drivers]");
        assertThat(got.get("address").asText()).isEqualTo("{\"city\":\"Berlin\"}");
        assertThat(jwt.get("scopes").toString()).isEqualTo("[\"jobs:write\",\"jobs:read\"]");
        // The rest of the event is as before: the header came through, the body too.
        assertThat(event.at("/headers/authorization").asText()).startsWith("Bearer ");
        assertThat(event.get("body").asText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void scopesAreNullWithoutScopeClaimsAndScpCounts() {
        JsonNode withoutScopes = TestHttp.postJson(api, "/echo", "{}", TOKENS.mint("producer-a")).json();
        JsonNode scopes = withoutScopes.at("/requestContext/authorizer/jwt/scopes");
        assertThat(scopes.isMissingNode() || scopes.isNull()).isTrue();

        String scp = TOKENS.sign(TOKENS.claims("producer-a", Duration.ofMinutes(5)).claim("scp", List.of("jobs:read")).build());
        assertThat(TestHttp.postJson(api, "/echo", "{}", scp).json().at("/requestContext/authorizer/jwt/scopes").toString())
                .isEqualTo("[\"jobs:read\"]");
    }

    @Test
    void aClientIdStandsInForAMissingAudience() {
        String token = TOKENS.sign(TOKENS.claims("producer-a", Duration.ofMinutes(5)).audience((String) null)
                .claim("client_id", "other-api").build());
        assertThat(TestHttp.postJson(api, "/echo", "{}", token).status()).isEqualTo(200);
    }

    @Test
    void theTokenMayComeWithoutTheBearerPrefix() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(api.resolve("/echo"))
                .header("authorization", TOKENS.mint("producer-a"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void routesWithoutAnAuthorizerAndHealthStayOpen() {
        TestHttp.Response open = TestHttp.get(api, "/open", null);
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.json().at("/requestContext/authorizer").isMissingNode()).isTrue();
        assertThat(TestHttp.get(api, "/health", null).status()).isEqualTo(200);
    }

    @Test
    void requestContextAuthorizerStringifiesAsApiGatewayDoes() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("p").claim("n", 7L).claim("list", List.of(1, "x"))
                .claim("scope", "a b").build();
        Map<String, Object> authorizer = JwtAuthorizer.requestContextAuthorizer(claims);
        assertThat(io.jobpipeline.core.Json.tree(io.jobpipeline.core.Json.write(authorizer)))
                .isEqualTo(io.jobpipeline.core.Json.tree("{\"jwt\":{\"claims\":{\"sub\":\"p\",\"n\":\"7\",\"list\":\"[1 x]\","
                        + "\"scope\":\"a b\"},\"scopes\":[\"a\",\"b\"]}}"));
    }

    private static void assertUnauthorized(TestHttp.Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.json().toString()).isEqualTo("{\"message\":\"Unauthorized\"}");
    }

    /** A different RSA key that claims the kid of the stack's key. */
    private static LocalSigningKey forgedKeyWithKid(String kid) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("forged", ".jwk");
            file.toFile().deleteOnExit();
            var forged = new com.nimbusds.jose.jwk.RSAKey.Builder(LocalSigningKey.generate().jwk()).keyID(kid).build();
            java.nio.file.Files.writeString(file, forged.toJSONString());
            return LocalSigningKey.loadOrCreate(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
