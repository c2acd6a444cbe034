package io.jobpipeline.local.bus;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An archive of one custom bus, as {@code AWS::Events::Archive} declares it: the bus's events that match its pattern
 * (all of them without one), kept {@code retentionDays} (0 = indefinitely), replayable with StartReplay.
 */
public record BusArchive(String name, String busName, int retentionDays, Optional<String> patternJson) {

    private static final Pattern NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,48}");

    public BusArchive {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("archive name must be 1..48 of [.-_A-Za-z0-9], was " + name);
        }
        Objects.requireNonNull(busName, "busName");
        if (retentionDays < 0) {
            throw new IllegalArgumentException("archive " + name + ": retentionDays must be >= 0");
        }
        Objects.requireNonNull(patternJson, "patternJson");
    }
}
