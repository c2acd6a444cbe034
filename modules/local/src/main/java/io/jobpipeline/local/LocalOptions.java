package io.jobpipeline.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to run the local stack; port 0 takes a free port (tests), the defaults are the documented ones.
 *
 * @param signingKey the file of the key that signs and checks bearer tokens, made if missing (see
 *                   {@link io.jobpipeline.local.http.LocalSigningKey}); empty: the JVM's in-memory key, as in tests
 * @param wiring     where the handlers and the stack's own HTTP client come from ({@link LocalWiring#DEFAULT} but in
 *                   fault-injection tests)
 */
public record LocalOptions(Path template, String host, int httpPort, int sqsPort, int dynamoPort, int busPort,
                           Optional<Path> data, Map<String, String> parameters, String region, String accountId,
                           Optional<Path> signingKey, LocalWiring wiring) {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";

    public LocalOptions {
        parameters = Map.copyOf(parameters);
    }

    public LocalOptions(Path template, String host, int httpPort, int sqsPort, int dynamoPort, int busPort,
                        Optional<Path> data, Map<String, String> parameters, String region, String accountId,
                        Optional<Path> signingKey) {
        this(template, host, httpPort, sqsPort, dynamoPort, busPort, data, parameters, region, accountId, signingKey,
                LocalWiring.DEFAULT);
    }

    /** Options whose tokens are checked against the JVM's in-memory key. */
    public LocalOptions(Path template, String host, int httpPort, int sqsPort, int dynamoPort, int busPort,
                        Optional<Path> data, Map<String, String> parameters, String region, String accountId) {
        this(template, host, httpPort, sqsPort, dynamoPort, busPort, data, parameters, region, accountId, Optional.empty());
    }

    /** Every part on a free port of 127.0.0.1, in memory: what tests use. */
    public static LocalOptions ephemeral(Path template) {
        return new LocalOptions(template, "127.0.0.1", 0, 0, 0, 0, Optional.empty(), Map.of(), REGION, ACCOUNT_ID);
    }

    /** These options with the signing key kept in {@code file}. */
    public LocalOptions withSigningKey(Path file) {
        return new LocalOptions(template, host, httpPort, sqsPort, dynamoPort, busPort, data, parameters, region, accountId,
                Optional.of(file), wiring);
    }

    /** These options with the handlers and the stack's HTTP client from {@code wiring}. */
    public LocalOptions withWiring(LocalWiring wiring) {
        return new LocalOptions(template, host, httpPort, sqsPort, dynamoPort, busPort, data, parameters, region, accountId,
                signingKey, wiring);
    }
}
