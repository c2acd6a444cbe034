package io.jobpipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pipeline jobs ...}: the group; does nothing by itself. */
@Command(name = "jobs", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Submit jobs and see what became of them.",
        subcommands = {JobsSubmitCommand.class, JobsShowCommand.class, JobsListCommand.class})
final class JobsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: submit, show or list");
    }
}
