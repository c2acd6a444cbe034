package io.jobpipeline.local.bus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The buses of this endpoint ({@code default} plus the custom ones), their ARNs and name-or-ARN resolution. */
final class BusRegistry {

    static final String DEFAULT_BUS = "default";
    private static final Pattern BUS_NAME = Pattern.compile("[/.\\-_A-Za-z0-9]{1,256}");

    private final String region;
    private final String accountId;
    private final List<String> names;

    BusRegistry(String region, String accountId, List<String> customBusNames) {
        this.region = region;
        this.accountId = accountId;
        Set<String> all = new LinkedHashSet<>();
        all.add(DEFAULT_BUS);
        for (String name : customBusNames) {
            if (name == null || !BUS_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid event bus name: " + name);
            }
            if (!all.add(name)) {
                throw new IllegalArgumentException("event bus listed twice (or named default): " + name);
            }
        }
        this.names = List.copyOf(all);
    }

    /** {@code default} first, then the custom buses in configuration order. */
    List<String> names() {
        return names;
    }

    boolean exists(String name) {
        return names.contains(name);
    }

    boolean isCustom(String name) {
        return exists(name) && !DEFAULT_BUS.equals(name);
    }

    String busArn(String name) {
        return "arn:aws:events:" + region + ":" + accountId + ":event-bus/" + name;
    }

    String archiveArn(String archiveName) {
        return "arn:aws:events:" + region + ":" + accountId + ":archive/" + archiveName;
    }

    String replayArn(String replayName) {
        return "arn:aws:events:" + region + ":" + accountId + ":replay/" + replayName;
    }

    /** Rule ARNs name the bus for custom buses only, as AWS does. */
    String ruleArn(String busName, String ruleName) {
        String prefix = "arn:aws:events:" + region + ":" + accountId + ":rule/";
        return DEFAULT_BUS.equals(busName) ? prefix + ruleName : prefix + busName + "/" + ruleName;
    }

    /**
     * Resolves an EventBusName (name or ARN; null or empty means {@code default}) to a known bus. An ARN for
     * another account or region resolves to nothing: this endpoint holds one account's buses in one region.
     */
    Optional<String> resolve(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return Optional.of(DEFAULT_BUS);
        }
        String name = nameOrArn;
        if (nameOrArn.startsWith("arn:")) {
            String[] parts = nameOrArn.split(":", 6);
            if (parts.length != 6 || !"events".equals(parts[2]) || !region.equals(parts[3])
                    || !accountId.equals(parts[4]) || !parts[5].startsWith("event-bus/")) {
                return Optional.empty();
            }
            name = parts[5].substring("event-bus/".length());
        }
        return exists(name) ? Optional.of(name) : Optional.empty();
    }

    List<String> customNames() {
        List<String> custom = new ArrayList<>(names);
        custom.remove(DEFAULT_BUS);
        return Collections.unmodifiableList(custom);
    }
}
