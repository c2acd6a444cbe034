package io.jobpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Picocli's usage errors, for every command: one line on stderr naming the command's --help, exit 2, nothing on stdout. */
class UsageErrorTest {
    static Stream<List<String>> commands() {
        return HelpTest.commands();
    }

    @ParameterizedTest(name = "pipeline {0} --no-such-option")
    @MethodSource("commands")
    void anUnknownOptionIsOneLine(List<String> words) {
        List<String> args = new ArrayList<>(words);
        args.add("--no-such-option");

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        String command = String.join(" ", Stream.concat(Stream.of("./pipeline"), words.stream()).toList());
        // A command with required parameters names those first; either way, one line.
        assertThat(run.err().lines()).singleElement().asString()
                .matches("error: (Unknown option: '--no-such-option'|Missing required .+) \\(see \\Q" + command + "\\E --help\\)");
    }

    @ParameterizedTest(name = "pipeline {0}")
    @CsvSource(delimiter = '|', textBlock = """
            jobs submit vehicle.register  | error: Missing required parameter: 'FILE' (see ./pipeline jobs submit --help)
            jobs show                     | error: Missing required parameter: 'ID' (see ./pipeline jobs show --help)
            dlq show                      | error: Missing required parameter: 'QUEUE' (see ./pipeline dlq show --help)
            dlq replay                    | error: Missing required parameter: 'QUEUE' (see ./pipeline dlq replay --help)
            events replay                 | error: Missing required option: '--from=TIME' (see ./pipeline events replay --help)
            dlq replay Q --max            | error: Missing required parameter for option '--max' (N) (see ./pipeline dlq replay --help)
            dlq replay Q --max many       | error: Invalid value for option '--max': 'many' is not a long (see ./pipeline dlq replay --help)
            dlq                           | error: Missing command: list, show, replay, history, export or import (see ./pipeline dlq --help)
            events                        | error: Missing command: replay (see ./pipeline events --help)
            nonsense                      | error: Unmatched argument at index 0: 'nonsense' (see ./pipeline --help)
            """)
    void aMissingOrBadParameterIsOneLine(String command, String line) {
        CliRun run = CliRun.of(command.split(" "));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly(line);
    }
}
