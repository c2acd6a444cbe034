package io.jobpipeline.cli.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.core.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The events an event pattern of exact values describes: one per combination of its values (and per {@code $or}
 * branch), each a whole envelope TestEventPattern accepts, with {@code source} jobs.pipeline unless the pattern names one. {@code events replay --pattern} picks the rules that take
 * one of them. Prefix, numeric and other matchers describe no one event, so they are refused.
 */
final class PatternSamples {
    private static final int MAX_SAMPLES = 64;
    /** What the pattern leaves out is as the pipeline's events have it: every event of the bus has this source. */
    private static final String PIPELINE_SOURCE = "jobs.pipeline";

    private PatternSamples() {}

    static List<String> of(String patternJson) {
        JsonNode pattern;
        try {
            pattern = Json.tree(patternJson);
        } catch (RuntimeException e) {
            throw CliFailure.usage("--pattern must be a JSON event pattern such as '{\"detail-type\":[\"JobCompleted\"]}', not " + patternJson);
        }
        if (!pattern.isObject() || pattern.isEmpty()) {
            throw CliFailure.usage("--pattern must be a non-empty JSON object such as '{\"detail-type\":[\"JobCompleted\"]}'");
        }
        List<String> events = new ArrayList<>();
        for (ObjectNode sample : samples(pattern, "")) {
            ObjectNode event = Json.MAPPER.createObjectNode().put("version", "0").put("id", "sample")
                    .put("detail-type", "sample").put("source", PIPELINE_SOURCE).put("account", "000000000000")
                    .put("time", Instant.EPOCH.toString()).put("region", "us-east-1");
            event.putArray("resources");
            event.putObject("detail");
            merge(event, sample);
            events.add(Json.write(event));
        }
        return events;
    }

    private static List<ObjectNode> samples(JsonNode pattern, String path) {
        List<ObjectNode> result = List.of(Json.MAPPER.createObjectNode());
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            String at = path + "/" + field.getKey();
            List<ObjectNode> choices = new ArrayList<>();
            if (field.getKey().equals("$or") && field.getValue().isArray()) {
                field.getValue().forEach(branch -> choices.addAll(samples(branch, path)));
            } else if (field.getValue().isArray()) {
                for (JsonNode value : field.getValue()) {
                    if (value.isContainerNode()) {
                        throw CliFailure.usage("--pattern may only list exact values (it picks the rules that take such an "
                                + "event); " + at + " has " + Json.write(value));
                    }
                    ObjectNode one = Json.MAPPER.createObjectNode();
                    one.set(field.getKey(), value);
                    choices.add(one);
                }
            } else if (field.getValue().isObject()) {
                for (ObjectNode sub : samples(field.getValue(), at)) {
                    ObjectNode one = Json.MAPPER.createObjectNode();
                    one.set(field.getKey(), sub);
                    choices.add(one);
                }
            } else {
                throw CliFailure.usage("--pattern: " + at + " must be a list of values or an object, not " + field.getValue());
            }
            List<ObjectNode> next = new ArrayList<>();
            for (ObjectNode partial : result) {
                for (ObjectNode choice : choices) {
                    ObjectNode combined = partial.deepCopy();
                    merge(combined, choice);
                    next.add(combined);
                }
            }
            if (next.size() > MAX_SAMPLES) {
                throw CliFailure.usage("--pattern has more than " + MAX_SAMPLES + " combinations of values; name the rules with --rule");
            }
            result = next;
        }
        return result;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        from.properties().forEach(e -> {
            if (e.getValue().isObject() && into.get(e.getKey()) instanceof ObjectNode existing) {
                merge(existing, (ObjectNode) e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }
}
