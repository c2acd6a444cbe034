package io.jobpipeline.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pipeline token --producer NAME}: a development bearer token for the local stack, signed with the key
 * {@code ./pipeline up} keeps, with the issuer and audience of template.yaml's JWT authorizer and {@code sub} = NAME,
 * the producer the intake records and scopes {@code GET /jobs/{id}} to.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Print a development bearer token for the local stack (./pipeline up), for producer NAME.",
        footerHeading = "%n",
        footer = {"Use it as:  export PIPELINE_TOKEN=$(./pipeline token --producer fleet-app)",
                "  then:  curl -H \"authorization: Bearer $PIPELINE_TOKEN\" localhost:3000/stats",
                "The key is the one ./pipeline up made: DIR/" + SigningKeyFile.FILE_NAME,
                "with --data DIR, else ~/" + SigningKeyFile.HOME_DIRECTORY + "/" + SigningKeyFile.FILE_NAME + "."})
final class TokenCommand implements Callable<Integer> {
    /** The system property ./pipeline sets to the repository root; PIPELINE_ROOT in the environment works too. */
    static final String ROOT_PROPERTY = "pipeline.root";

    @Spec
    CommandSpec spec;

    @Option(names = "--producer", required = true, paramLabel = "NAME", description = "The token's sub: the producer its jobs belong to.")
    String producer;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "12h",
            description = "How long the token is valid: 90s, 30m, 12h, 7d or ISO-8601 such as PT12H (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--data", paramLabel = "DIR", description = "The --data DIR given to ./pipeline up, whose signing key to use.")
    Path data;

    @Option(names = "--template", paramLabel = "FILE",
            description = "The template whose authorizer sets issuer and audience (default: template.yaml of the repository).")
    Path template;

    @Option(names = "--parameter", paramLabel = "NAME=VALUE",
            description = "A template parameter as given to ./pipeline up, e.g. JwtIssuer=https://auth.example.")
    Map<String, String> parameters = new HashMap<>();

    @Override
    public Integer call() {
        try {
            if (producer.isBlank()) {
                throw CliFailure.usage("--producer must not be empty");
            }
            Duration lifetime = parseTtl(ttl);
            Path templateFile = template != null ? template : defaultTemplate();
            TemplateAuthorizer authorizer = TemplateAuthorizer.read(templateFile, parameters);
            Path keyFile = SigningKeyFile.location(data);
            RSAKey key = SigningKeyFile.read(keyFile, data);
            spec.commandLine().getOut().println(sign(key, authorizer, producer, lifetime, Instant.now()));
            return 0;
        } catch (CliFailure failure) {
            failure.lines().forEach(spec.commandLine().getErr()::println);
            return failure.exitCode();
        } finally {
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
        }
    }

    static String sign(RSAKey key, TemplateAuthorizer authorizer, String producer, Duration ttl, Instant now) {
        Date issued = Date.from(now.minusMillis(now.toEpochMilli() % 1000));
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(authorizer.issuer()).audience(authorizer.audience())
                .subject(producer).issueTime(issued).notBeforeTime(issued).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw CliFailure.failed("cannot sign the token: " + e.getMessage());
        }
        return jwt.serialize();
    }

    private Path defaultTemplate() {
        return ((PipelineCli) spec.root().userObject()).defaultTemplate();
    }

    static Duration parseTtl(String text) {
        return Durations.parse("--ttl", text);
    }
}
