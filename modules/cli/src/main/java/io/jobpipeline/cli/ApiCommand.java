package io.jobpipeline.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the HTTP API: gets a client for the global options and turns {@link CliFailure} into an exit code. */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            PipelineCli root = (PipelineCli) spec.root().userObject();
            return run(ApiClient.of(root.api(), root.token()));
        } catch (CliFailure failure) {
            failure.lines().forEach(err()::println);
            return failure.exitCode();
        } finally {
            out().flush();
            err().flush();
        }
    }

    abstract int run(ApiClient api);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
