package io.jobpipeline.aws.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The Lambda deployment jars' SLF4J backend: the JSON lines log4j2 and its JSON template layout wrote before, at a
 * fraction of their cold start (log4j2's configuration and plugins were ~1,600 classes of a ~4,000-class start).
 * Registered in the deployment jars only (the shade plugin adds its service file): the local stack and the CLI keep
 * their own backends.
 */
public final class JsonLineProvider implements SLF4JServiceProvider {
    private final ThreadMdc mdc = new ThreadMdc();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private JsonLineLoggers loggers;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        loggers = new JsonLineLoggers(LevelThresholds.fromEnvironment(System.getenv()), JsonLineSink.lambdaRuntime(), mdc);
    }
}
