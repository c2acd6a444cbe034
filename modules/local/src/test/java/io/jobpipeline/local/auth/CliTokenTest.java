package io.jobpipeline.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.cli.PipelineCli;
import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import io.jobpipeline.local.http.LocalSigningKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./pipeline token} signs with the key file the stack made, and the running stack takes its tokens. */
class CliTokenTest {

    record Run(int exitCode, String out, String err) {}

    @Test
    void theStackMakesItsKeyFileAndKeepsIt(@TempDir Path dir) throws Exception {
        Path file = LocalSigningKey.defaultFile(java.util.Optional.of(dir));
        assertThat(file).isEqualTo(dir.resolve("local-signing-key.jwk"));
        LocalSigningKey made = LocalSigningKey.loadOrCreate(file);
        assertThat(made.created()).isTrue();
        assertThat(Files.readString(file)).contains("\"d\":").contains("\"kid\":\"" + made.keyId() + "\"");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        LocalSigningKey again = LocalSigningKey.loadOrCreate(file);
        assertThat(again.created()).isFalse();
        assertThat(again.jwk().toJSONObject()).isEqualTo(made.jwk().toJSONObject());
        assertThat(LocalSigningKey.defaultFile(java.util.Optional.empty()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".jobpipeline", "local-signing-key.jwk"));
    }

    @Test
    void aTokenFromTheCliIsAcceptedByAStackUsingTheSameDataDirectory(@TempDir Path data) throws Exception {
        LocalOptions options = LocalOptions.ephemeral(SharedLocalStack.TEMPLATE)
                .withSigningKey(LocalSigningKey.defaultFile(java.util.Optional.of(data)));
        try (LocalPipeline stack = LocalPipeline.start(options)) {
            assertThat(stack.signingKey().file()).contains(data.resolve("local-signing-key.jwk"));

            Run run = cli("token", "--producer", "fleet-app", "--ttl", "30m", "--data", data.toString(),
                    "--template", SharedLocalStack.TEMPLATE.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).isEmpty();
            String token = run.out().strip();
            assertThat(token).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

            TestHttp.Response accepted = TestHttp.postJson(stack.httpEndpoint(), "/jobs",
                    "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-CLI\",\"plate\":\"B-CL 1\",\"model\":\"Ford Transit\"}}", token);
            assertThat(accepted.status()).isEqualTo(202);
            String jobId = accepted.json().get("jobId").asText();
            assertThat(TestHttp.get(stack.httpEndpoint(), "/jobs/" + jobId, token).status()).isEqualTo(200);
            assertThat(TestHttp.get(stack.httpEndpoint(), "/jobs/" + jobId, stack.tokens().mint("someone-else")).status())
                    .isEqualTo(404);
            // The in-memory key of the other stacks is another key: their tokens do not work here.
            assertThat(TestHttp.get(stack.httpEndpoint(), "/jobs/" + jobId).status()).isEqualTo(401);
        }
    }

    @Test
    void theCliSaysHowToGetAKeyWhenThereIsNone(@TempDir Path data) {
        Run run = cli("token", "--producer", "fleet-app", "--data", data.toString(),
                "--template", SharedLocalStack.TEMPLATE.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("no local signing key at " + data.resolve("local-signing-key.jwk"))
                .contains("./pipeline up --data " + data);
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PipelineCli(Map.of()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
