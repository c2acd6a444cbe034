package io.jobpipeline.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as an operator types them: 90s, 30m, 12h, 7d, or ISO-8601 such as PT12H. */
public final class Durations {
    private Durations() {}

    /** A positive duration, or a bad usage naming {@code option}. */
    public static Duration parse(String option, String text) {
        Duration d = text == null ? null : parseOrNull(text.strip().toLowerCase(Locale.ROOT));
        if (d == null || d.isNegative() || d.isZero()) {
            throw CliFailure.usage(option + " must be a positive duration such as 30s, 15m, 2h, 3d or PT12H, not " + text);
        }
        return d;
    }

    private static Duration parseOrNull(String t) {
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (!t.matches("\\d{1,9}[smhd]")) {
                return null;
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
