package io.jobpipeline.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** How to run the local stack; port 0 takes a free port (tests), the defaults are the documented ones. */
public record LocalOptions(Path template, String host, int httpPort, int sqsPort, int dynamoPort, int busPort,
                           Optional<Path> data, Map<String, String> parameters, String region, String accountId) {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";

    public LocalOptions {
        parameters = Map.copyOf(parameters);
    }

    /** Every part on a free port of 127.0.0.1, in memory: what tests use. */
    public static LocalOptions ephemeral(Path template) {
        return new LocalOptions(template, "127.0.0.1", 0, 0, 0, 0, Optional.empty(), Map.of(), REGION, ACCOUNT_ID);
    }
}
