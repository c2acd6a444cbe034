package io.jobpipeline.cli.events;

import io.jobpipeline.cli.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pipeline events ...}: the group; does nothing by itself. */
@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Work with the stack's event bus and its archive.",
        subcommands = {EventsReplayCommand.class},
        footerHeading = "%n",
        footer = {"Works on the local stack (./pipeline up) by default; on a deployment with --stack NAME --region REGION.",
                "Exit codes: 0 done, 1 failed (an endpoint unreachable, AWS refused, the replay failed), 2 bad usage."})
public final class EventsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: replay");
    }
}
