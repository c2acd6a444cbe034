package io.jobpipeline.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.event.ruler.JsonRuleCompiler;

/**
 * Reads the template's {@code AWS::Events::Archive} resources. Kept apart from {@link TemplateLoader}: it reads the
 * template file again, evaluating each archive's Properties with the loaded template's parameters.
 */
final class ArchiveReader {
    static final String ARCHIVE = "AWS::Events::Archive";
    private static final String BUS = "AWS::Events::EventBus";
    private static final Pattern ARCHIVE_NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,48}");

    private ArchiveReader() {
    }

    static List<ArchiveSpec> read(StackTemplate template) throws TemplateException {
        Path file = template.source();
        String name = file.getFileName().toString();
        Map<String, Object> root = CfnYaml.read(file);
        Map<String, Object> resources = map(root.get("Resources"));
        Intrinsics.Lookup known = new Intrinsics.Lookup() {
            @Override
            public Object ref(String ref) {
                return template.parameters().get(ref);
            }

            @Override
            public Object getAtt(String logicalId, String attribute) {
                return null;
            }
        };
        Intrinsics partial = new Intrinsics(name, map(root.get("Conditions")), map(root.get("Mappings")), known, true);
        List<ArchiveSpec> archives = new ArrayList<>();
        for (Map.Entry<String, Object> e : resources.entrySet()) {
            Map<String, Object> resource = map(e.getValue());
            if (!ARCHIVE.equals(resource.get("Type"))) {
                continue;
            }
            String owner = "resource " + e.getKey();
            Props r = Props.of(name, owner, resource);
            if (r.has("Condition") && !Boolean.TRUE.equals(partial.condition(r.requiredString("Condition"), owner, "Condition"))) {
                continue;
            }
            Object evaluated = partial.evaluate(resource.getOrDefault("Properties", Map.of()), owner, "");
            if (!(evaluated instanceof Map<?, ?>)) {
                throw r.fail("Properties", "expected a mapping");
            }
            archives.add(archive(e.getKey(), Props.of(name, owner, map(evaluated)), template, resources));
        }
        return List.copyOf(archives);
    }

    private static ArchiveSpec archive(String id, Props p, StackTemplate template, Map<String, Object> resources)
            throws TemplateException {
        String bus = p.logicalId("SourceArn", "Arn");
        if (!template.buses().containsKey(bus)) {
            Object type = map(resources.get(bus)).get("Type");
            throw p.fail("SourceArn", type == null ? "no resource " + bus + " in this template (expected an " + BUS + ")"
                    : bus + " is an " + type + ", not an " + BUS);
        }
        int retention = p.integer("RetentionDays", 0, 0, Integer.MAX_VALUE, "days");
        Optional<String> pattern = Optional.empty();
        Optional<Props> eventPattern = p.child("EventPattern");
        if (eventPattern.isPresent()) {
            String json;
            try {
                json = Props.JSON.writeValueAsString(eventPattern.get().raw());
            } catch (JsonProcessingException e) {
                throw p.fail("EventPattern", "cannot be written as JSON: " + e.getOriginalMessage());
            }
            String error = JsonRuleCompiler.check(json);
            if (error != null) {
                throw p.fail("EventPattern", "Event Ruler rejects " + json + ": " + error.lines().findFirst().orElse(error));
            }
            pattern = Optional.of(json);
        }
        String archiveName = p.string("ArchiveName").orElse(id);
        if (!ARCHIVE_NAME.matcher(archiveName).matches()) {
            throw p.fail("ArchiveName", "must be 1 to 48 characters of letters, digits, '.', '-' or '_', was " + archiveName);
        }
        return new ArchiveSpec(id, archiveName, bus, retention, pattern);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
