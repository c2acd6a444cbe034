package io.jobpipeline.cli;

import static io.jobpipeline.cli.FakeApi.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
    private static final Path TEMPLATE = Path.of("../../template.yaml");
    private static RSAKey key;

    @TempDir
    Path data;

    @BeforeAll
    static void makeKey() throws Exception {
        key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).keyIDFromThumbprint(true).generate();
    }

    @Test
    void printsATokenSignedWithTheStacksKeyForTheTemplatesAuthorizer() throws Exception {
        Files.writeString(data.resolve("local-signing-key.jwk"), key.toJSONString());
        Instant before = Instant.now();

        CliRun run = CliRun.of("token", "--producer", "fleet-app", "--data", data.toString(), "--template", TEMPLATE.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).hasSize(1);
        SignedJWT jwt = SignedJWT.parse(run.out().strip());
        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("fleet-app");
        assertThat(claims.getIssuer()).isEqualTo("https://auth.jobpipeline.local");
        assertThat(claims.getAudience()).containsExactly("jobs-api");
        assertThat(Duration.between(before, claims.getExpirationTime().toInstant()))
                .isBetween(Duration.ofHours(12).minusSeconds(5), Duration.ofHours(12).plusSeconds(5));
    }

    @Test
    void ttlAndParametersChangeTheToken() throws Exception {
        Files.writeString(data.resolve("local-signing-key.jwk"), key.toJSONString());

        CliRun run = CliRun.of("token", "--producer", "p", "--ttl", "90s", "--data", data.toString(), "--template",
                TEMPLATE.toString(), "--parameter", "JwtIssuer=https://idp.example", "--parameter", "JwtAudience=app");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JWTClaimsSet claims = SignedJWT.parse(run.out().strip()).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("https://idp.example");
        assertThat(claims.getAudience()).containsExactly("app");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isBetween(Duration.ofSeconds(89), Duration.ofSeconds(92));
    }

    @Test
    void findsTheTemplateUnderTheRepositoryRootItIsGiven() throws Exception {
        Files.writeString(data.resolve("local-signing-key.jwk"), key.toJSONString());
        Files.copy(TEMPLATE, data.resolve("template.yaml"));

        CliRun run = CliRun.of(java.util.Map.of("PIPELINE_ROOT", data.toString()), "token", "--producer", "p", "--data", data.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void saysWhereTheKeyShouldBeWhenItIsMissing() {
        CliRun run = CliRun.of("token", "--producer", "p", "--data", data.toString(), "--template", TEMPLATE.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error: no local signing key at " + data.resolve("local-signing-key.jwk"));
    }

    @Test
    void refusesBadUsage() throws Exception {
        Files.writeString(data.resolve("local-signing-key.jwk"), key.toJSONString());
        assertThat(CliRun.of("token").exitCode()).isEqualTo(2);
        CliRun ttl = CliRun.of("token", "--producer", "p", "--ttl", "soon", "--data", data.toString(), "--template", TEMPLATE.toString());
        assertThat(ttl.exitCode()).isEqualTo(2);
        assertThat(ttl.err()).contains("--ttl must be a positive duration");
        CliRun parameter = CliRun.of("token", "--producer", "p", "--data", data.toString(), "--template", TEMPLATE.toString(),
                "--parameter", "JwtIsuer=x");
        assertThat(parameter.exitCode()).isEqualTo(2);
        assertThat(parameter.err()).contains("JwtIsuer");
        CliRun template = CliRun.of("token", "--producer", "p", "--data", data.toString(), "--template", data.resolve("nope.yaml").toString());
        assertThat(template.exitCode()).isEqualTo(2);
        assertThat(template.err()).contains("no template at");
    }

    @Test
    void ttlTakesShortFormsAndIso() {
        assertThat(TokenCommand.parseTtl("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TokenCommand.parseTtl("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(TokenCommand.parseTtl("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TokenCommand.parseTtl("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(TokenCommand.parseTtl("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void a401TellsHowToGetAToken() throws Exception {
        try (FakeApi api = new FakeApi()) {
            api.on("GET /stats", json(401, "{\"message\":\"Unauthorized\"}"));
            api.on("GET /jobs/abc", json(401, "{\"message\":\"Unauthorized\"}"));

            for (CliRun run : new CliRun[] {CliRun.of("stats", "--api", api.url()), CliRun.of("jobs", "show", "abc", "--api", api.url())}) {
                assertThat(run.exitCode()).isEqualTo(1);
                assertThat(run.err().strip()).isEqualTo("error: 401 Unauthorized: get a token with ./pipeline token --producer NAME "
                        + "and pass --token or set PIPELINE_TOKEN");
            }
        }
    }
}
