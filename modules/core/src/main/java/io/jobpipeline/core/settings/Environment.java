package io.jobpipeline.core.settings;

import java.util.Map;
import java.util.Optional;

/** A function's environment, read once at the edge into a settings record; a missing variable fails the cold start. */
public record Environment(Map<String, String> variables) {
    public Environment {
        variables = Map.copyOf(variables);
    }

    public static Environment system() {
        return new Environment(System.getenv());
    }

    public String require(String name) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            throw new MissingSetting("environment variable " + name + " is not set");
        }
        return value;
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
    }

    public int integer(String name, int fallback) {
        String value = variables.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new MissingSetting("environment variable " + name + " must be a whole number, was '" + value + "'");
        }
    }

    /** A setting that is absent or unreadable. */
    public static final class MissingSetting extends RuntimeException {
        public MissingSetting(String message) {
            super(message);
        }
    }
}
