package io.jobpipeline.aws.logging;

import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * What log4j2.xml configures: {@code io.jobpipeline.metrics} at info (EMF lines), the pipeline's own loggers at
 * {@code LOG_LEVEL} (default info), everything else (the SDK, Jackson) at warn. A null threshold is "off".
 */
record LevelThresholds(Level pipeline, Level metrics, Level others) {
    static final String METRICS = "io.jobpipeline.metrics";
    private static final String PIPELINE = "io.jobpipeline";

    static LevelThresholds fromEnvironment(Map<String, String> env) {
        return new LevelThresholds(parse(env.get("LOG_LEVEL"), Level.INFO), Level.INFO, Level.WARN);
    }

    Level of(String logger) {
        if (logger.equals(METRICS) || logger.startsWith(METRICS + ".")) {
            return metrics;
        }
        if (logger.equals(PIPELINE) || logger.startsWith(PIPELINE + ".")) {
            return pipeline;
        }
        return others;
    }

    /** log4j2's level names: off, fatal (as error), error, warn, info, debug, trace, all (as trace). */
    static Level parse(String name, Level fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "OFF" -> null;
            case "FATAL", "ERROR" -> Level.ERROR;
            case "WARN" -> Level.WARN;
            case "INFO" -> Level.INFO;
            case "DEBUG" -> Level.DEBUG;
            case "TRACE", "ALL" -> Level.TRACE;
            default -> fallback;
        };
    }
}
