package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pipeline dlq ...}: the group; does nothing by itself. */
@Command(name = "dlq", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "See what is in the dead-letter queues and why, and move it back once the cause is fixed.",
        subcommands = {DlqListCommand.class, DlqShowCommand.class, DlqReplayCommand.class, DlqHistoryCommand.class,
                DlqExportCommand.class, DlqImportCommand.class},
        footerHeading = "%n",
        footer = {"Works on the local stack (./pipeline up) by default; on a deployment with --stack NAME --region REGION.",
                "Exit codes: 0 done, 1 failed (an endpoint unreachable, AWS refused, a message not moved), 2 bad usage."})
public final class DlqCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: list, show, replay, history, export or import");
    }
}
