package io.jobpipeline.cli.dlq;

import java.time.Duration;
import java.time.Instant;

/** Ages and times as the tables print them: 45s, 12m 3s, 5h 2m, 3d 4h; "-" for none. */
final class Ages {
    private Ages() {}

    static String since(Instant then, Instant now) {
        return then == null ? "-" : of(Duration.between(then, now));
    }

    static String of(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }

    static String time(Instant at) {
        return at == null ? "-" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
