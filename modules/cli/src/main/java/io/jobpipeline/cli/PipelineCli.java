package io.jobpipeline.cli;

import io.jobpipeline.cli.dlq.DlqCommand;
import io.jobpipeline.cli.events.EventsCommand;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./pipeline}: the producers' and operators' command line. {@code ./pipeline up} is the script's own. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Submit and inspect jobs of the Serverless Job Pipeline.",
        subcommands = {JobsCommand.class, StatsCommand.class, TokenCommand.class, DlqCommand.class, EventsCommand.class},
        footerHeading = "%n",
        footer = {"Run the whole pipeline on this machine:  ./pipeline up [--data DIR]",
                "  (./pipeline up --help lists all its options)",
                "Its API wants a bearer token:  export PIPELINE_TOKEN=$(./pipeline token --producer NAME)",
                "See a command's options:  ./pipeline jobs submit --help",
                "Operators: ./pipeline dlq list, dlq show QUEUE, dlq replay QUEUE (local stack, or --stack NAME --region R)",
                "  and ./pipeline events replay --from TIME --to TIME [--rule NAME | --pattern JSON]",
                "Exit codes: 0 done, 1 failed (refused by the API, or unreachable), 2 bad usage."})
public final class PipelineCli implements Callable<Integer> {
    static final String DEFAULT_API = "http://127.0.0.1:3000";

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    // No picocli defaults on purpose: the environment and the built-in default are resolved in api()/token().
    @Option(names = "--api", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Base URL of the pipeline's HTTP API (default: $PIPELINE_API, else " + DEFAULT_API + ").")
    String api;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "Bearer token sent as Authorization (default: $PIPELINE_TOKEN).")
    String token;

    public PipelineCli() {
        this(System.getenv());
    }

    /** The environment as a map, so tests need not depend on the caller's PIPELINE_* variables. */
    public PipelineCli(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        System.exit(commandLine(new PipelineCli()).execute(args));
    }

    /**
     * The command line as ./pipeline runs it: a usage error (unknown option, missing parameter, missing command) is
     * one line on stderr naming the command's --help, and exit 2, instead of picocli's whole usage text.
     */
    public static CommandLine commandLine(PipelineCli cli) {
        return new CommandLine(cli).setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("bad usage");
            command.getErr().println("error: " + message + " (see ./" + command.getCommandSpec().qualifiedName() + " --help)");
            command.getErr().flush();
            return CliFailure.USAGE;
        });
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    String api() {
        return firstSet(api, env.get("PIPELINE_API"), DEFAULT_API);
    }

    String token() {
        return firstSet(token, env.get("PIPELINE_TOKEN"), null);
    }

    /** A variable of the environment this CLI was given. */
    public String env(String name) {
        return env.get(name);
    }

    /**
     * template.yaml of the repository: under the {@code pipeline.root} system property ./pipeline sets, else under
     * $PIPELINE_ROOT, else in the working directory.
     */
    public Path defaultTemplate() {
        String dir = System.getProperty(TokenCommand.ROOT_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = env("PIPELINE_ROOT");
        }
        return dir == null || dir.isBlank() ? Path.of("template.yaml") : Path.of(dir, "template.yaml");
    }

    private static String firstSet(String option, String variable, String fallback) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        return variable != null && !variable.isBlank() ? variable : fallback;
    }
}
