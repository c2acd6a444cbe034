package io.jobpipeline.local.bus;

import software.amazon.event.ruler.GenericMachine;
import software.amazon.event.ruler.JsonRuleCompiler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One Event Ruler machine per bus: the rules whose pattern matches an envelope, in configuration order. */
final class RuleMatcher {

    private record Bus(GenericMachine<String> machine, Map<String, BusRule> rules, Map<String, Integer> order) {
    }

    private final Map<String, Bus> buses = new HashMap<>();

    RuleMatcher(BusRegistry registry, List<BusRule> rules) {
        for (String busName : registry.names()) {
            buses.put(busName, new Bus(GenericMachine.<String>builder().build(), new LinkedHashMap<>(), new HashMap<>()));
        }
        for (BusRule rule : rules) {
            Bus bus = buses.get(rule.busName());
            if (bus == null) {
                throw new IllegalArgumentException("rule " + rule.name() + " is on unknown event bus " + rule.busName()
                        + "; buses: " + registry.names());
            }
            if (bus.rules().containsKey(rule.name())) {
                throw new IllegalArgumentException("rule " + rule.name() + " defined twice on bus " + rule.busName());
            }
            // JsonRuleCompiler is what GenericMachine.addRule uses; the older RuleCompiler rejects $or.
            String problem = JsonRuleCompiler.check(rule.patternJson());
            if (problem != null) {
                throw new IllegalArgumentException("rule " + rule.name() + " has an invalid event pattern: " + problem);
            }
            try {
                bus.machine().addRule(rule.name(), rule.patternJson());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("rule " + rule.name() + " has an invalid event pattern: "
                        + e.getMessage(), e);
            }
            bus.order().put(rule.name(), bus.rules().size());
            bus.rules().put(rule.name(), rule);
        }
    }

    List<BusRule> match(String busName, String envelopeJson) {
        Bus bus = buses.get(busName);
        if (bus == null || bus.rules().isEmpty()) {
            return List.of();
        }
        List<String> names;
        try {
            names = bus.machine().rulesForJSONEvent(envelopeJson);
        } catch (Exception e) {
            throw new IllegalStateException("Event Ruler could not evaluate an event on bus " + busName, e);
        }
        List<BusRule> matched = new ArrayList<>(names.size());
        names.stream().distinct().sorted(Comparator.comparing(bus.order()::get))
                .forEach(name -> matched.add(bus.rules().get(name)));
        return matched;
    }

    /** The rules of a bus in configuration order (none for an unknown bus). */
    List<BusRule> rules(String busName) {
        Bus bus = buses.get(busName);
        return bus == null ? List.of() : List.copyOf(bus.rules().values());
    }

    Optional<BusRule> rule(String busName, String ruleName) {
        Bus bus = buses.get(busName);
        return bus == null ? Optional.empty() : Optional.ofNullable(bus.rules().get(ruleName));
    }
}
