package io.jobpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class HelpTest {
    /** Every command of the tree, as the words that invoke it: [], [jobs], [jobs, submit], ... */
    static Stream<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        collect(PipelineCli.commandLine(new PipelineCli()), new ArrayList<>(), all);
        return all.stream();
    }

    private static void collect(CommandLine command, List<String> words, List<List<String>> all) {
        all.add(List.copyOf(words));
        command.getSubcommands().forEach((name, sub) -> {
            List<String> next = new ArrayList<>(words);
            next.add(name);
            collect(sub, next, all);
        });
    }

    @ParameterizedTest(name = "pipeline {0} --help")
    @MethodSource("commands")
    void everyCommandAnswersHelp(List<String> words) {
        StringWriter out = new StringWriter();
        CommandLine cli = PipelineCli.commandLine(new PipelineCli());
        cli.setOut(new PrintWriter(out, true));
        List<String> args = new ArrayList<>(words);
        args.add("--help");

        int code = cli.execute(args.toArray(String[]::new));

        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("Usage: " + String.join(" ", Stream.concat(Stream.of("pipeline"), words.stream()).toList()));
    }

    @ParameterizedTest(name = "pipeline {0} --version")
    @MethodSource("commands")
    void everyCommandAnswersVersion(List<String> words) {
        List<String> args = new ArrayList<>(words);
        args.add("--version");

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("pipeline ");
    }

    @org.junit.jupiter.api.Test
    void theTreeHasTheCommandsOfTheInterface() {
        assertThat(commands().map(w -> String.join(" ", w))).contains("jobs submit", "jobs show", "stats", "token");
    }
}
