package io.jobpipeline.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.event.ruler.JsonRuleCompiler;

/** Reads an AWS::Serverless::Function with Globals.Function applied, and the events the local stack runs. */
final class FunctionReader {
    private static final String IDENTIFIER = "[\\p{L}_$][\\p{L}\\p{N}_$]*";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");

    /**
     * The spec, the merged environment still unresolved (resources are known only to the running stack), and the
     * HttpApi events with their API and authorizer, for {@link HttpApiAuthReader}.
     */
    record Read(FunctionSpec spec, Map<String, Object> environment, List<HttpApiAuthReader.ApiEvent> apiEvents) {
    }

    private final Props globals;
    private final Map<String, QueueSpec> queues;
    private final Map<String, EventBusSpec> buses;
    private final Map<String, String> types;

    FunctionReader(Props globals, Map<String, QueueSpec> queues, Map<String, EventBusSpec> buses,
                   Map<String, String> types) {
        this.globals = globals;
        this.queues = queues;
        this.buses = buses;
        this.types = types;
    }

    Read read(String id, Props fn) throws TemplateException {
        Props handlerOwner = fn.has("Handler") || !globals.has("Handler") ? fn : globals;
        String handler = handlerOwner.requiredString("Handler");
        int sep = handler.indexOf("::");
        String handlerClass = sep < 0 ? handler : handler.substring(0, sep);
        String handlerMethod = sep < 0 ? "handleRequest" : handler.substring(sep + 2);
        if (!handlerClass.matches(IDENTIFIER + "(\\." + IDENTIFIER + ")*") || !handlerMethod.matches(IDENTIFIER)) {
            throw handlerOwner.fail("Handler", "expected <class>::<method> or <class>, got '" + handler + "'");
        }
        int timeout = (fn.has("Timeout") ? fn : globals).integer("Timeout", 3, 1, 900, "seconds");
        int memory = (fn.has("MemorySize") ? fn : globals).integer("MemorySize", 128, 128, 10_240, "MB");

        List<SqsEventSource> sqs = new ArrayList<>();
        List<HttpRoute> routes = new ArrayList<>();
        List<RuleSpec> rules = new ArrayList<>();
        List<HttpApiAuthReader.ApiEvent> apiEvents = new ArrayList<>();
        Optional<Props> events = fn.child("Events");
        if (events.isPresent()) {
            for (String name : events.get().raw().keySet()) {
                Props event = events.get().requiredChild(name);
                switch (event.requiredString("Type")) {
                    case "SQS" -> sqs.add(sqs(name, event.requiredChild("Properties")));
                    case "HttpApi" -> {
                        Props properties = event.child("Properties").orElse(null);
                        HttpRoute route = route(properties, event);
                        routes.add(route);
                        apiEvents.add(new HttpApiAuthReader.ApiEvent(route, HttpApiAuthReader.apiOf(properties, types),
                                HttpApiAuthReader.authorizerOf(properties), properties == null ? event : properties));
                    }
                    case "Api" -> routes.add(route(event.child("Properties").orElse(null), event));
                    case "EventBridgeRule" -> rules.add(rule(id, name, event.requiredChild("Properties")));
                    default -> { } // schedules, S3, ...: nothing the local stack runs
                }
            }
        }
        Map<String, Object> environment = new LinkedHashMap<>(variables(globals));
        environment.putAll(variables(fn));
        return new Read(new FunctionSpec(id, handlerClass, handlerMethod, timeout, memory, sqs, routes, rules),
                environment, apiEvents);
    }

    private SqsEventSource sqs(String name, Props p) throws TemplateException {
        String queue = p.logicalId("Queue", "Arn");
        if (!queues.containsKey(queue)) {
            throw p.fail("Queue", ResourceReaders.notA(queue, ResourceReaders.QUEUE, types));
        }
        int window = p.integer("MaximumBatchingWindowInSeconds", 0, 0, 300, "seconds");
        int batch = p.integer("BatchSize", 10, 1, queues.get(queue).fifo() ? 10 : 10_000, null);
        if (batch > 10 && window < 1) {
            throw p.fail("BatchSize", "above 10 needs MaximumBatchingWindowInSeconds of at least 1, as AWS requires");
        }
        boolean reportFailures = false;
        for (Object type : p.list("FunctionResponseTypes")) {
            if (!"ReportBatchItemFailures".equals(type)) {
                throw p.fail("FunctionResponseTypes", "expected ReportBatchItemFailures, got " + Props.show(type));
            }
            reportFailures = true;
        }
        int concurrency = 2;
        Optional<Props> scaling = p.child("ScalingConfig");
        if (scaling.isPresent()) {
            concurrency = scaling.get().integer("MaximumConcurrency", 2, 2, 1000, null);
        }
        return new SqsEventSource(name, queue, batch, window, reportFailures, concurrency, p.bool("Enabled", true));
    }

    private static HttpRoute route(Props p, Props event) throws TemplateException {
        if (p == null || (!p.has("Method") && !p.has("Path"))) {
            if (!"HttpApi".equals(event.get("Type"))) {
                throw event.fail("Properties", "an Api event needs Method and Path");
            }
            return new HttpRoute("ANY", "$default"); // SAM's catch-all route
        }
        String method = p.requiredString("Method").toUpperCase(Locale.ROOT);
        String path = p.requiredString("Path");
        if (!METHODS.contains(method)) {
            throw p.fail("Method", "expected one of " + new TreeSet<>(METHODS) + ", got '" + method + "'");
        }
        if (!path.startsWith("/")) {
            throw p.fail("Path", "expected a path starting with /, got '" + path + "'");
        }
        return new HttpRoute(method, path);
    }

    private RuleSpec rule(String functionId, String name, Props p) throws TemplateException {
        for (String unsupported : List.of("Input", "InputPath", "InputTransformer")) {
            if (p.has(unsupported)) {
                throw p.fail(unsupported, "not supported by the local stack, which delivers the event as it is");
            }
        }
        Map<String, Object> patternTree = p.requiredChild("Pattern").raw();
        String pattern;
        try {
            pattern = Props.JSON.writeValueAsString(patternTree);
        } catch (JsonProcessingException e) {
            throw p.fail("Pattern", "cannot be written as JSON: " + e.getOriginalMessage());
        }
        if (!Intrinsics.isResolved(patternTree)) {
            throw p.fail("Pattern", "holds an intrinsic not resolvable when the template is loaded: " + pattern);
        }
        // JsonRuleCompiler is what GenericMachine.addRule uses; RuleCompiler would reject $or, which EventBridge accepts.
        String error = JsonRuleCompiler.check(pattern);
        if (error != null) {
            throw p.fail("Pattern", "Event Ruler rejects " + pattern + ": " + error.lines().findFirst().orElse(error));
        }
        int attempts = 185;
        int age = 86_400;
        Optional<Props> retry = p.child("RetryPolicy");
        if (retry.isPresent()) {
            attempts = retry.get().integer("MaximumRetryAttempts", 185, 0, 185, null);
            age = retry.get().integer("MaximumEventAgeInSeconds", 86_400, 60, 86_400, "seconds");
        }
        Optional<String> dlq = Optional.empty();
        Optional<Props> deadLetter = p.child("DeadLetterConfig");
        if (deadLetter.isPresent()) {
            if (deadLetter.get().has("Type") || deadLetter.get().has("QueueLogicalId")) {
                throw deadLetter.get().fail("Type", "let SAM create no queue: declare an AWS::SQS::Queue and give Arn");
            }
            String queue = deadLetter.get().logicalId("Arn", "Arn");
            if (!queues.containsKey(queue)) {
                throw deadLetter.get().fail("Arn", ResourceReaders.notA(queue, ResourceReaders.QUEUE, types));
            }
            dlq = Optional.of(queue);
        }
        return new RuleSpec(functionId + name, bus(p), pattern, functionId, attempts, age, dlq);
    }

    /** The bus's logical id: EventBusName is !Ref of a bus, the literal name of one, "default" or absent. */
    private String bus(Props p) throws TemplateException {
        Object value = p.get("EventBusName");
        if (value == null || "default".equals(value)) {
            return "default";
        }
        if (value instanceof String name) {
            return buses.values().stream().filter(b -> b.name().equals(name)).map(EventBusSpec::logicalId)
                    .findFirst().orElseThrow(() -> p.fail("EventBusName", "no event bus of this template is named '"
                            + name + "'"));
        }
        String id = p.logicalId("EventBusName", null);
        if (!buses.containsKey(id)) {
            throw p.fail("EventBusName", ResourceReaders.notA(id, "AWS::Events::EventBus", types));
        }
        return id;
    }

    private static Map<String, Object> variables(Props p) throws TemplateException {
        Optional<Props> environment = p.child("Environment");
        if (environment.isEmpty()) {
            return Map.of();
        }
        Optional<Props> variables = environment.get().child("Variables");
        return variables.isEmpty() ? Map.of() : variables.get().raw();
    }
}
