package io.jobpipeline.aws.logging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One logger per name, each with its threshold fixed when it is made (the configuration never changes in a container). */
final class JsonLineLoggers implements ILoggerFactory {
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final LevelThresholds thresholds;
    private final JsonLineSink sink;
    private final ThreadMdc mdc;

    JsonLineLoggers(LevelThresholds thresholds, JsonLineSink sink, ThreadMdc mdc) {
        this.thresholds = thresholds;
        this.sink = sink;
        this.mdc = mdc;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new JsonLineLogger(n, thresholds.of(n),
                n.equals(LevelThresholds.METRICS) || n.startsWith(LevelThresholds.METRICS + "."), sink, mdc));
    }
}
