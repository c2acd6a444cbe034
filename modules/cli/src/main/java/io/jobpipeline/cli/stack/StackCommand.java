package io.jobpipeline.cli.stack;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.PipelineCli;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * An operator's command on a stack: resolves the target from the common options, runs, and turns every expected
 * failure (a {@link CliFailure}, an endpoint that does not answer, a refused AWS call) into one line and an exit code.
 */
public abstract class StackCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Mixin
    protected TargetOptions targetOptions;

    @Override
    public final Integer call() {
        StackTarget target = null;
        try {
            validate();
            target = targetOptions.open((PipelineCli) spec.root().userObject());
            return run(target);
        } catch (CliFailure failure) {
            return fail(failure);
        } catch (SdkClientException e) {
            return fail(target != null ? target.unreachable(e) : CliFailure.failed(e.getMessage()));
        } catch (AwsServiceException e) {
            String service = e.awsErrorDetails() == null ? "AWS" : e.awsErrorDetails().serviceName();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            return fail(CliFailure.failed(service + " refused the call: " + message));
        } finally {
            if (target != null) {
                target.close();
            }
            out().flush();
            err().flush();
        }
    }

    /** Checks the command's own arguments before anything is called: a bad usage changes nothing. */
    protected void validate() {}

    protected abstract int run(StackTarget target);

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int fail(CliFailure failure) {
        failure.lines().forEach(err()::println);
        return failure.exitCode();
    }
}
