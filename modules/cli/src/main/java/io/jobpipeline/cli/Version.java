package io.jobpipeline.cli;

import picocli.CommandLine.IVersionProvider;

/** The version in cli.jar's manifest; classes run from an IDE or the test classpath have none. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = PipelineCli.class.getPackage().getImplementationVersion();
        return new String[] {"pipeline " + (version == null ? "(development build)" : version)};
    }
}
