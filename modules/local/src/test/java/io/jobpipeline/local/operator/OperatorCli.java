package io.jobpipeline.local.operator;

import io.jobpipeline.cli.PipelineCli;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * {@code ./pipeline} in this JVM, through picocli, pointed at a local stack: the stack's own endpoints (dynamic ports)
 * and template as options for the operator's commands, its API and a producer's token for the producer's.
 */
final class OperatorCli {
    /** The commands that talk to the HTTP API rather than to the stack's services. */
    private static final Set<String> API_COMMANDS = Set.of("jobs", "stats");

    record Run(int exitCode, String out, String err) {
        /** stdout then stderr, as a terminal would show them (stderr lines without the progress bar's). */
        List<String> lines() {
            List<String> lines = new ArrayList<>(out.lines().toList());
            err.lines().map(l -> l.contains("\r") ? l.substring(l.lastIndexOf('\r') + 1) : l)
                    .filter(l -> l.startsWith("error:") || l.startsWith("not sent")).forEach(lines::add);
            return lines;
        }
    }

    private final LocalPipeline stack;
    private final Path template;

    OperatorCli(LocalPipeline stack, Path template) {
        this.stack = stack;
        this.template = template;
    }

    static OperatorCli shared() {
        return new OperatorCli(SharedLocalStack.get(), SharedLocalStack.TEMPLATE);
    }

    /** The options that point a command at this stack, as ./pipeline up's endpoints would be given. */
    List<String> targetOptions() {
        return List.of("--sqs-endpoint", stack.sqsEndpoint().toString(), "--dynamodb-endpoint", stack.dynamoEndpoint().toString(),
                "--events-endpoint", stack.busEndpoint().toString(), "--template", template.toString());
    }

    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (List.of(args).contains("--help")) {
            return raw(args);
        }
        if (API_COMMANDS.contains(args[0])) {
            all.addAll(List.of("--api", stack.httpEndpoint().toString(), "--token", TestHttp.defaultToken()));
        } else if (args.length > 1) {
            all.addAll(targetOptions());
        }
        return raw(all.toArray(String[]::new));
    }

    /** Exactly these arguments, nothing added. */
    static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PipelineCli.commandLine(new PipelineCli(Map.of()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
