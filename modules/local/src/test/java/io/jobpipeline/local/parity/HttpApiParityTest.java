package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.jobpipeline.core.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * API Gateway's HTTP API as the function sees it (payload format 2.0) and its JWT authorizer, on the probe stack's
 * route {@code POST /probe/{name}}: the probe function records each request and echoes its event as the body.
 */
class HttpApiParityTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final ParityTarget target = ParityTarget.get();

    @Test
    void headerNamesAreLowerCasedAndRepeatedHeadersJoinedWithCommas() throws Exception {
        ParityProbe probe = target.probe();
        JsonNode event = echo(probe, "/probe/" + name(), "{}", r -> r.header("X-Parity-Case", "Mixed Value")
                .header("X-Parity-Repeat", "one").header("X-Parity-Repeat", "two"));
        JsonNode headers = event.get("headers");
        assertThat(headers.get("x-parity-case").asText()).isEqualTo("Mixed Value");
        assertThat(headers.get("x-parity-repeat").asText()).isEqualTo("one,two");
        assertThat(headers.get("content-type").asText()).isEqualTo("application/json");
        headers.fieldNames().forEachRemaining(header -> assertThat(header).isLowerCase());
        assertThat(event.has("multiValueHeaders")).as("2.0 has no multiValueHeaders").isFalse();
    }

    @Test
    void cookiesArriveAsAnArrayAndNotAsAHeader() throws Exception {
        ParityProbe probe = target.probe();
        JsonNode event = echo(probe, "/probe/" + name(), "{}", r -> r.header("Cookie", "session=abc; theme=dark"));
        List<String> cookies = new ArrayList<>();
        event.get("cookies").forEach(c -> cookies.add(c.asText()));
        assertThat(cookies).containsExactly("session=abc", "theme=dark");
        assertThat(event.get("headers").has("cookie")).isFalse();
    }

    @Test
    void binaryBodiesArriveBase64EncodedAndTextBodiesAsText() throws Exception {
        ParityProbe probe = target.probe();
        byte[] bytes = new byte[256];
        IntStream.range(0, bytes.length).forEach(i -> bytes[i] = (byte) i);
        JsonNode binary = echo(probe, "/probe/" + name(), HttpRequest.BodyPublishers.ofByteArray(bytes),
                r -> r.header("Content-Type", "application/octet-stream"));
        assertThat(binary.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(binary.get("body").asText())).isEqualTo(bytes);

        String text = "{\"plate\":\"B-JP 4242\",\"note\":\"grüß\"}";
        JsonNode json = echo(probe, "/probe/" + name(), text, r -> r);
        assertThat(json.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(json.get("body").asText()).isEqualTo(text);
    }

    @Test
    void pathParametersRawPathRawQueryStringAndMethodAsSent() throws Exception {
        ParityProbe probe = target.probe();
        String name = name();
        JsonNode event = echo(probe, "/probe/" + name + "?b=x%20y&a=1&a=2", "{}", r -> r);
        assertThat(event.get("version").asText()).isEqualTo("2.0");
        assertThat(event.get("routeKey").asText()).isEqualTo("POST /probe/{name}");
        assertThat(event.get("rawPath").asText()).isEqualTo("/probe/" + name);
        assertThat(event.get("rawQueryString").asText()).isEqualTo("b=x%20y&a=1&a=2");
        assertThat(event.at("/queryStringParameters/a").asText()).isEqualTo("1,2");
        assertThat(event.at("/queryStringParameters/b").asText()).isEqualTo("x y");
        assertThat(event.at("/pathParameters/name").asText()).isEqualTo(name);
        assertThat(event.at("/requestContext/http/method").asText()).isEqualTo("POST");
        assertThat(event.at("/requestContext/http/path").asText()).isEqualTo("/probe/" + name);
        assertThat(event.at("/requestContext/routeKey").asText()).isEqualTo("POST /probe/{name}");
    }

    @Test
    void jwtClaimsReachTheFunctionAsStringsInRequestContextAuthorizer() throws Exception {
        ParityProbe probe = target.probe();
        JWTClaimsSet claims = probe.stack.tokens().claims("parity-producer", Duration.ofMinutes(5))
                .claim("scope", "jobs:write jobs:read").claim("groups", List.of("ops", "fleet")).claim("tier", 3).build();
        String token = probe.stack.tokens().sign(claims);
        JsonNode event = echo(probe, "/probe/" + name(), "{}", r -> r.header("Authorization", "Bearer " + token));
        JsonNode jwt = event.at("/requestContext/authorizer/jwt");
        assertThat(jwt.at("/claims/sub").asText()).isEqualTo("parity-producer");
        assertThat(jwt.at("/claims/iss").asText()).isEqualTo(probe.stack.tokens().issuer());
        assertThat(jwt.at("/claims/aud").asText()).isEqualTo(probe.stack.tokens().audience().getFirst());
        assertThat(jwt.at("/claims/groups").asText()).isEqualTo("[ops fleet]");
        assertThat(jwt.at("/claims/tier").isTextual()).isTrue();
        assertThat(jwt.at("/claims/tier").asText()).isEqualTo("3");
        assertThat(jwt.at("/claims/exp").asText()).isEqualTo(Long.toString(claims.getExpirationTime().toInstant().getEpochSecond()));
        List<String> scopes = new ArrayList<>();
        jwt.get("scopes").forEach(s -> scopes.add(s.asText()));
        assertThat(scopes).containsExactly("jobs:write", "jobs:read");
    }

    @Test
    void missingOrBadTokenIs401BeforeTheFunctionRuns() throws Exception {
        ParityProbe probe = target.probe();
        String name = name();
        String good = probe.token("parity-producer");
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"intruder\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        String expired = probe.stack.tokens().sign(probe.stack.tokens().claims("parity-producer", Duration.ofMinutes(1))
                .issueTime(Date.from(past.minusSeconds(60))).notBeforeTime(Date.from(past.minusSeconds(60)))
                .expirationTime(Date.from(past)).build());
        String foreignAudience = probe.stack.tokens().sign(probe.stack.tokens().claims("parity-producer", Duration.ofMinutes(5))
                .audience("someone-else").build());

        List<UnaryOperator<HttpRequest.Builder>> refused = List.of(r -> r,
                r -> r.header("Authorization", "Bearer not-a-jwt"),
                r -> r.header("Authorization", "Bearer " + tampered),
                r -> r.header("Authorization", "Bearer " + expired),
                r -> r.header("Authorization", "Bearer " + foreignAudience));
        for (UnaryOperator<HttpRequest.Builder> request : refused) {
            HttpResponse<String> response = post(probe, "/probe/" + name, HttpRequest.BodyPublishers.ofString("{}"), request);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(Json.tree(response.body()).get("message").asText()).isEqualTo("Unauthorized");
        }
        assertThat(probe.records(name, "HTTP")).as("the function ran for a refused request").isEmpty();

        // The same request with the good token runs the function, so the empty record above means "did not run".
        HttpResponse<String> allowed = post(probe, "/probe/" + name, HttpRequest.BodyPublishers.ofString("{}"),
                r -> r.header("Authorization", "Bearer " + good));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(probe.records(name, "HTTP")).hasSize(1);
    }

    @Test
    void aResponseWithoutStatusCodeIsA200JsonBody() throws Exception {
        ParityProbe probe = target.probe();
        String name = name();
        HttpResponse<String> response = post(probe, "/probe/" + name, HttpRequest.BodyPublishers.ofString("{}"),
                r -> r.header("Authorization", "Bearer " + probe.token("parity-producer")).header("X-Probe-Respond", "bare"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode event = Json.tree(response.body());
        assertThat(event.get("rawPath").asText()).isEqualTo("/probe/" + name);
        assertThat(event.has("statusCode")).isFalse();
    }

    private static String name() {
        return "http-" + UUID.randomUUID();
    }

    /** POSTs a JSON body with a good token (unless {@code request} sets its own) and returns the event the function got. */
    private static JsonNode echo(ParityProbe probe, String pathAndQuery, String json,
                                 UnaryOperator<HttpRequest.Builder> request) throws Exception {
        return echo(probe, pathAndQuery, HttpRequest.BodyPublishers.ofString(json),
                r -> request.apply(r.header("Content-Type", "application/json")));
    }

    private static JsonNode echo(ParityProbe probe, String pathAndQuery, HttpRequest.BodyPublisher body,
                                 UnaryOperator<HttpRequest.Builder> request) throws Exception {
        HttpResponse<String> response = post(probe, pathAndQuery, body, r -> {
            HttpRequest.Builder built = request.apply(r);
            return built.build().headers().firstValue("Authorization").isPresent() ? built
                    : built.header("Authorization", "Bearer " + probe.token("parity-producer"));
        });
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    private static HttpResponse<String> post(ParityProbe probe, String pathAndQuery, HttpRequest.BodyPublisher body,
                                             UnaryOperator<HttpRequest.Builder> request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(probe.api + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).POST(body);
        return HTTP.send(request.apply(builder).build(), HttpResponse.BodyHandlers.ofString());
    }
}
