package io.jobpipeline.local.template;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a template: parameters, then queues, tables and buses, then the functions that use them. */
final class TemplateLoader {
    static final Set<String> PSEUDO = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::Partition",
            "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    /** The template, and what only the running stack can resolve: each function's environment. */
    record Loaded(StackTemplate template, Map<String, Map<String, Object>> environments, Map<String, String> types,
                  Intrinsics.Lookup baseLookup, Map<String, Object> conditions, Map<String, Object> mappings) {
    }

    private TemplateLoader() {
    }

    static Loaded load(Path file, Map<String, String> overrides) throws TemplateException {
        String name = file.getFileName().toString();
        Map<String, Object> root = CfnYaml.read(file);
        Set<String> listParameters = new HashSet<>();
        Map<String, String> parameters = parameters(name, root, overrides, listParameters);
        Map<String, Object> conditions = section(name, root, "Conditions");
        Map<String, Object> mappings = section(name, root, "Mappings");
        Map<String, Object> resources = section(name, root, "Resources");
        if (resources.isEmpty()) {
            throw new TemplateException(name + ": section Resources, property (all): a template needs resources");
        }
        Intrinsics.Lookup known = new Intrinsics.Lookup() {
            @Override
            public Object ref(String ref) {
                String value = parameters.get(ref);
                return value != null && listParameters.contains(ref) ? List.of(value.split(",", -1)) : value;
            }

            @Override
            public Object getAtt(String logicalId, String attribute) {
                return null;
            }
        };
        Intrinsics partial = new Intrinsics(name, conditions, mappings, known, true);

        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Props> properties = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : resources.entrySet()) {
            String id = e.getKey();
            Props resource = Props.of(name, "resource " + id, asMap(name, "resource " + id, e.getValue()));
            String type = resource.requiredString("Type");
            if (resource.has("Condition")) {
                Boolean on = partial.condition(resource.requiredString("Condition"), "resource " + id, "Condition");
                if (on == null) {
                    throw resource.fail("Condition", "cannot be evaluated when the template is loaded");
                }
                if (!on) {
                    continue;
                }
            }
            Object raw = resource.get("Properties");
            Object evaluated = partial.evaluate(raw == null ? Map.of() : raw, "resource " + id, "");
            types.put(id, type);
            properties.put(id, Props.of(name, "resource " + id, asMap(name, "resource " + id, evaluated)));
        }

        Map<String, QueueSpec> queues = new LinkedHashMap<>();
        Map<String, TableSpec> tables = new LinkedHashMap<>();
        Map<String, EventBusSpec> buses = new LinkedHashMap<>();
        for (Map.Entry<String, Props> e : properties.entrySet()) {
            String id = e.getKey();
            switch (types.get(id)) {
                case ResourceReaders.QUEUE -> queues.put(id, ResourceReaders.queue(id, e.getValue()));
                case "AWS::DynamoDB::Table" -> tables.put(id, ResourceReaders.table(id, e.getValue()));
                case "AWS::Serverless::SimpleTable" -> tables.put(id, ResourceReaders.simpleTable(id, e.getValue()));
                case "AWS::Events::EventBus" -> buses.put(id, ResourceReaders.bus(id, e.getValue()));
                default -> { } // APIs, policies, anything else: nothing the local stack reads from them
            }
        }
        for (QueueSpec queue : queues.values()) {
            ResourceReaders.checkRedrive(queue, properties.get(queue.logicalId()), queues, types);
        }

        Map<String, Object> globalsSection = section(name, root, "Globals");
        Object globalFunction = globalsSection.getOrDefault("Function", Map.of());
        String globalsOwner = "section Globals.Function";
        Props globals = Props.of(name, globalsOwner,
                asMap(name, globalsOwner, partial.evaluate(globalFunction, globalsOwner, "")));
        FunctionReader reader = new FunctionReader(globals, queues, buses, types);
        Map<String, FunctionSpec> functions = new LinkedHashMap<>();
        Map<String, Map<String, Object>> environments = new LinkedHashMap<>();
        List<HttpApiAuthReader.ApiEvent> apiEvents = new ArrayList<>();
        for (Map.Entry<String, Props> e : properties.entrySet()) {
            if (types.get(e.getKey()).equals("AWS::Serverless::Function")) {
                FunctionReader.Read read = reader.read(e.getKey(), e.getValue());
                functions.put(e.getKey(), read.spec());
                environments.put(e.getKey(), read.environment());
                apiEvents.addAll(read.apiEvents());
            }
        }

        Map<String, Props> httpApis = new LinkedHashMap<>();
        properties.forEach((id, p) -> {
            if (types.get(id).equals(HttpApiAuthReader.HTTP_API)) {
                httpApis.put(id, p);
            }
        });
        String globalsApiOwner = "section Globals.HttpApi";
        Props globalsApi = Props.of(name, globalsApiOwner, asMap(name, globalsApiOwner,
                partial.evaluate(globalsSection.getOrDefault("HttpApi", Map.of()), globalsApiOwner, "")));
        List<JwtAuthorizerSpec> authorizers = HttpApiAuthReader.read(httpApis, globalsApi, apiEvents);
        StackTemplate template = new StackTemplate(file, parameters, queues, tables, buses, functions, authorizers);
        return new Loaded(template, environments, types, known, conditions, mappings);
    }

    /** Declared parameters (override, else Default) checked against their constraints, then pseudo overrides. */
    private static Map<String, String> parameters(String file, Map<String, Object> root, Map<String, String> overrides,
                                                  Set<String> listParameters) throws TemplateException {
        Map<String, Object> declared = section(file, root, "Parameters");
        for (String key : overrides.keySet()) {
            if (!declared.containsKey(key) && !PSEUDO.contains(key)) {
                throw new TemplateException(file + ": parameter " + key + ", property (override): not declared in "
                        + "Parameters, nor a pseudo parameter");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : declared.entrySet()) {
            String owner = "parameter " + e.getKey();
            Props p = Props.of(file, owner, asMap(file, owner, e.getValue()));
            String type = p.requiredString("Type");
            boolean overridden = overrides.containsKey(e.getKey());
            String property = overridden ? "(override)" : "Default";
            if (!overridden && !p.has("Default") && p.bool("NoEcho", false)) {
                // A secret (NoEcho, no Default) is left without a value: only what references it needs one, and says so.
                continue;
            }
            String value = overridden ? overrides.get(e.getKey())
                    : p.string("Default").orElseThrow(() -> p.fail("Default", "missing, and no override given"));
            if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
                listParameters.add(e.getKey());
            }
            if (type.equals("Number")) {
                BigDecimal number;
                try {
                    number = new BigDecimal(value.trim());
                } catch (NumberFormatException ex) {
                    throw p.fail(property, "expected a number, got '" + value + "'");
                }
                if ((p.has("MinValue") && number.compareTo(new BigDecimal(p.requiredString("MinValue"))) < 0)
                        || (p.has("MaxValue") && number.compareTo(new BigDecimal(p.requiredString("MaxValue"))) > 0)) {
                    throw p.fail(property, "must be from " + p.get("MinValue") + " to " + p.get("MaxValue")
                            + ", got " + value);
                }
            }
            List<String> allowed = p.list("AllowedValues").stream().map(String::valueOf).toList();
            if (!allowed.isEmpty() && !allowed.contains(value)) {
                throw p.fail(property, "expected one of " + allowed + ", got '" + value + "'");
            }
            if (p.has("AllowedPattern") && !value.matches(p.requiredString("AllowedPattern"))) {
                throw p.fail(property, "'" + value + "' does not match AllowedPattern " + p.get("AllowedPattern"));
            }
            values.put(e.getKey(), value);
        }
        overrides.forEach((key, value) -> {
            if (PSEUDO.contains(key)) {
                values.put(key, value);
            }
        });
        values.putIfAbsent("AWS::StackName", StackTemplate.DEFAULT_STACK_NAME);
        return values;
    }

    /** The function's merged environment, every value resolved through the running stack's resolver. */
    static Map<String, String> environment(StackTemplate template, FunctionSpec function, ReferenceResolver resolver)
            throws TemplateException {
        String file = template.source().getFileName().toString();
        String owner = "resource " + function.logicalId();
        // The record keeps only specs, so the environment is read again; it must be the template that was loaded.
        Loaded loaded = load(template.source(), template.parameters());
        if (!function.equals(loaded.template().functions().get(function.logicalId()))) {
            throw new TemplateException(file + ": " + owner + ", property (all): not as when the template was "
                    + "loaded; load the template again");
        }
        Intrinsics full = new Intrinsics(file, loaded.conditions(), loaded.mappings(),
                resolving(loaded, resolver, secretsWithoutValue(template.source(), template.parameters())), false);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : loaded.environments().get(function.logicalId()).entrySet()) {
            String path = "Environment.Variables." + e.getKey();
            Object value = full.evaluate(e.getValue(), owner, path);
            if (value == Intrinsics.NO_VALUE) {
                continue;
            }
            if (!Intrinsics.isScalar(value)) {
                throw new TemplateException(file + ": " + owner + ", property " + path + ": expected text, got "
                        + Props.json(value));
            }
            out.put(e.getKey(), String.valueOf(value));
        }
        return out;
    }

    /** Declared parameters that are NoEcho without a Default and got no value (see {@link #parameters}). */
    private static Set<String> secretsWithoutValue(Path file, Map<String, String> values) throws TemplateException {
        Set<String> names = new HashSet<>();
        String name = file.getFileName().toString();
        for (Map.Entry<String, Object> e : section(name, CfnYaml.read(file), "Parameters").entrySet()) {
            if (!values.containsKey(e.getKey()) && e.getValue() instanceof Map<?, ?> declared
                    && !declared.containsKey("Default") && Boolean.parseBoolean(String.valueOf(declared.get("NoEcho")))) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    private static Intrinsics.Lookup resolving(Loaded loaded, ReferenceResolver resolver, Set<String> secretsWithoutValue) {
        return new Intrinsics.Lookup() {
            @Override
            public Object ref(String name) {
                Object known = loaded.baseLookup().ref(name);
                if (known != null) {
                    return known;
                }
                String value = PSEUDO.contains(name) ? resolver.pseudo(name) : resolver.ref(name);
                if (value == null && secretsWithoutValue.contains(name)) {
                    throw new IllegalArgumentException("parameter '" + name + "' is NoEcho without a Default and was "
                            + "given no value (--parameter " + name + "=...)");
                }
                if (value == null) {
                    throw new IllegalArgumentException(PSEUDO.contains(name) || loaded.types().containsKey(name)
                            ? "the local stack gave no value for it" : "no parameter or resource is named '" + name
                            + "'");
                }
                return value;
            }

            @Override
            public Object getAtt(String logicalId, String attribute) {
                String value = resolver.getAtt(logicalId, attribute);
                if (value == null) {
                    throw new IllegalArgumentException(loaded.types().containsKey(logicalId)
                            ? "the local stack gave no value for it" : "no resource is named '" + logicalId + "'");
                }
                return value;
            }
        };
    }

    private static Map<String, Object> section(String file, Map<String, Object> root, String name)
            throws TemplateException {
        Object value = root.get(name);
        return value == null ? Map.of() : asMap(file, "section " + name, value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(String file, String owner, Object value) throws TemplateException {
        if (!(value instanceof Map<?, ?>)) {
            throw new TemplateException(file + ": " + owner + ", property (all): expected a mapping, got "
                    + Props.show(value));
        }
        return (Map<String, Object>) value;
    }
}
