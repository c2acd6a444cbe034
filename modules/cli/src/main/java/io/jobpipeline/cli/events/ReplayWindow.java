package io.jobpipeline.cli.events;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.Durations;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The window of archived events to replay, {@code from <= time < to}, as StartReplay takes it. */
record ReplayWindow(Instant from, Instant to) {
    ReplayWindow {
        if (!from.isBefore(to)) {
            throw CliFailure.usage("--from must be before --to, not " + from + " .. " + to);
        }
    }

    /**
     * A time as an operator types it: ISO-8601 with a zone ({@code 2026-11-22T10:00:00Z}, {@code ...+01:00}), a
     * duration meaning that long before {@code now} ({@code 2h}), or {@code now}.
     */
    static Instant time(String option, String text, Instant now) {
        String t = text == null ? "" : text.strip();
        if (t.toLowerCase(Locale.ROOT).equals("now")) {
            return now;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // not a timestamp: a duration ago, perhaps
        }
        if (t.matches("(?i)\\d{1,9}[smhd]|P.*")) {
            try {
                return now.minus(Durations.parse(option, t));
            } catch (CliFailure e) {
                // refused below, with the whole choice of forms
            }
        }
        throw CliFailure.usage(option + " must be a time such as 2026-11-22T10:00:00Z, a duration ago such as 2h, or now; not " + text);
    }
}
