package io.jobpipeline.local.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.local.LocalSecrets;
import io.jobpipeline.local.SharedLocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack's webhook master secret: generated, kept per data directory, overridable. */
class FanoutSecretsTest {

    @Test
    void aDataDirectoryKeepsItsGeneratedSecret(@TempDir Path data) throws Exception {
        Map<String, String> first = LocalSecrets.missing(SharedLocalStack.TEMPLATE, Map.of(), Optional.of(data));
        Map<String, String> again = LocalSecrets.missing(SharedLocalStack.TEMPLATE, Map.of(), Optional.of(data));

        assertThat(first).containsOnlyKeys("WebhookSigningSecret").isEqualTo(again);
        assertThat(first.get("WebhookSigningSecret")).hasSizeGreaterThanOrEqualTo(32);
        Path file = data.resolve("secrets").resolve("WebhookSigningSecret");
        assertThat(Files.readString(file)).isEqualTo(first.get("WebhookSigningSecret"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void inMemoryEachRunGetsItsOwnAndAGivenValueWins() throws Exception {
        var one = LocalSecrets.missing(SharedLocalStack.TEMPLATE, Map.of(), Optional.empty());
        var two = LocalSecrets.missing(SharedLocalStack.TEMPLATE, Map.of(), Optional.empty());
        assertThat(one.get("WebhookSigningSecret")).isNotEqualTo(two.get("WebhookSigningSecret"));
        assertThat(LocalSecrets.missing(SharedLocalStack.TEMPLATE, Map.of("WebhookSigningSecret", "x".repeat(40)),
                Optional.empty())).isEmpty();
    }
}
