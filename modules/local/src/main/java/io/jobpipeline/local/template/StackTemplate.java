package io.jobpipeline.local.template;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the local stack needs from template.yaml, so that no queue, table, bus, function or rule is restated in Java.
 * Maps keep template order and are keyed by logical id.
 *
 * @param parameters  every declared parameter (override, else Default), then the pseudo parameters given as
 *                    overrides; {@code AWS::StackName} is always there ({@value #DEFAULT_STACK_NAME} unless overridden)
 * @param authorizers the JWT authorizers of the HttpApis, each with the routes it guards
 */
public record StackTemplate(Path source, Map<String, String> parameters, Map<String, QueueSpec> queues,
                            Map<String, TableSpec> tables, Map<String, EventBusSpec> buses,
                            Map<String, FunctionSpec> functions, List<JwtAuthorizerSpec> authorizers) {
    public static final String DEFAULT_STACK_NAME = "job-pipeline";

    public StackTemplate {
        parameters = frozen(parameters);
        queues = frozen(queues);
        tables = frozen(tables);
        buses = frozen(buses);
        functions = frozen(functions);
        authorizers = List.copyOf(authorizers);
    }

    /** A template without HttpApi authorizers. */
    public StackTemplate(Path source, Map<String, String> parameters, Map<String, QueueSpec> queues,
                         Map<String, TableSpec> tables, Map<String, EventBusSpec> buses,
                         Map<String, FunctionSpec> functions) {
        this(source, parameters, queues, tables, buses, functions, List.of());
    }

    /** The JWT authorizer that guards this HttpApi route, if one does. */
    public Optional<JwtAuthorizerSpec> authorizerOf(HttpRoute route) {
        return authorizers.stream().filter(a -> a.guards(route)).findFirst();
    }

    /** Reads the template with parameter defaults and stack name {@value #DEFAULT_STACK_NAME}. */
    public static StackTemplate load(Path file) throws TemplateException {
        return load(file, Map.of());
    }

    /**
     * Reads the template. Overrides set declared parameters, and pseudo parameters resolved at load time
     * ({@code AWS::StackName}, and e.g. {@code AWS::Region} if a name needs it).
     */
    public static StackTemplate load(Path file, Map<String, String> parameterOverrides) throws TemplateException {
        StackTemplate template = TemplateLoader.load(file, parameterOverrides).template();
        template.checkEventSourceMappings();
        return template;
    }

    /**
     * Lambda refuses an SQS event source mapping whose queue's visibility timeout is shorter than the function's
     * timeout (a message would come back while its batch still runs); so does the local stack.
     */
    private void checkEventSourceMappings() throws TemplateException {
        for (FunctionSpec f : functions.values()) {
            for (SqsEventSource source : f.sqsSources()) {
                QueueSpec queue = queues.get(source.queueLogicalId());
                if (queue != null && queue.visibilityTimeoutSeconds() < f.timeoutSeconds()) {
                    throw new TemplateException(source().getFileName() + ": resource " + f.logicalId() + ", event "
                            + source.name() + ": queue " + queue.logicalId() + " has a VisibilityTimeout of "
                            + queue.visibilityTimeoutSeconds() + " s, less than the function's Timeout of "
                            + f.timeoutSeconds() + " s; Lambda refuses such a mapping");
                }
            }
        }
    }

    /** All EventBridgeRule events of all functions, in template order. */
    public List<RuleSpec> rules() {
        return functions.values().stream().flatMap(f -> f.rules().stream()).toList();
    }

    /**
     * The function's environment (Globals merged, function wins), each value resolved: parameters and load-time
     * pseudo parameters here, resources and other pseudo parameters through the resolver. Reads {@link #source()}
     * again, and fails if the function there is no longer the one given.
     */
    public Map<String, String> environmentOf(FunctionSpec f, ReferenceResolver resolver) throws TemplateException {
        return TemplateLoader.environment(this, f, resolver);
    }

    /**
     * The template's {@code AWS::Events::Archive} resources, in template order. Reads {@link #source()} again (with
     * these parameters) and fails, naming resource and property, for an archive the local stack cannot read.
     */
    public List<ArchiveSpec> archives() throws TemplateException {
        return ArchiveReader.read(this);
    }

    /** The template as plain maps and lists, short-form tags in the long form ({"Ref": x}, {"Fn::GetAtt": [a, b]}). */
    public static Map<String, Object> readAsJsonTree(Path file) throws TemplateException {
        return CfnYaml.read(file);
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
