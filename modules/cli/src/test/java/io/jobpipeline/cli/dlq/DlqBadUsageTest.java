package io.jobpipeline.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.cli.PipelineCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad usage is refused with one line and exit 2 before any call; an endpoint that does not answer is exit 1. */
class DlqBadUsageTest {
    private static final String TEMPLATE = "../../template.yaml";
    private static final String CLOSED = "http://127.0.0.1:1";

    @Test
    void anUnknownQueueIsABadUsage() {
        String[] run = run("dlq", "replay", "FooQueue", "--template", TEMPLATE, "--endpoint", CLOSED);
        assertThat(run[0]).isEqualTo("2");
        assertThat(run[2].lines()).containsExactly("error: no queue FooQueue in stack job-pipeline; dlq list shows the queues");
    }

    @Test
    void aBadDurationIsABadUsage() {
        String[] run = run("dlq", "replay", "JobsDeadLetterQueue", "--older-than", "yesterday", "--template", TEMPLATE);
        assertThat(run[0]).isEqualTo("2");
        assertThat(run[2].lines()).containsExactly(
                "error: --older-than must be a positive duration such as 30s, 15m, 2h, 3d or PT12H, not yesterday");
    }

    @Test
    void anEndpointThatDoesNotAnswerIsOneLineAndExitOne() {
        String[] run = run("dlq", "list", "--template", TEMPLATE, "--endpoint", CLOSED);
        assertThat(run[0]).isEqualTo("1");
        assertThat(run[2].lines()).hasSize(1).first().asString()
                .startsWith("error: cannot reach SQS at " + CLOSED + "; start the local stack with ./pipeline up");
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PipelineCli.commandLine(new PipelineCli(Map.of()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new String[] {Integer.toString(cli.execute(args)), out.toString(), err.toString()};
    }
}
