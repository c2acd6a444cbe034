package io.jobpipeline.local;

import io.jobpipeline.local.bus.BusRule;
import io.jobpipeline.local.bus.EventTarget;
import io.jobpipeline.local.bus.LocalEventBus;
import io.jobpipeline.local.emulator.Emulators;
import io.jobpipeline.local.emulator.LocalResources;
import io.jobpipeline.local.http.HttpApiFront;
import io.jobpipeline.local.lambda.LocalFunction;
import io.jobpipeline.local.sqs.SqsEventSourcePoller;
import io.jobpipeline.local.template.FunctionSpec;
import io.jobpipeline.local.template.HttpRoute;
import io.jobpipeline.local.template.RuleSpec;
import io.jobpipeline.local.template.SqsEventSource;
import io.jobpipeline.local.template.StackTemplate;
import io.jobpipeline.local.template.TemplateException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline in one JVM, built from template.yaml: the emulators, the template's queues and table, its
 * functions (the very handler classes), their SQS event source mappings, HTTP routes and bus rules.
 */
public final class LocalPipeline implements AutoCloseable {
    private final StackTemplate template;
    private final Emulators emulators;
    private final LocalClients clients;
    private final LocalResources resources;
    private final LocalEventBus bus;
    private final Map<String, LocalFunction> functions;
    private final List<SqsEventSourcePoller> pollers;
    private final HttpApiFront http;

    private LocalPipeline(StackTemplate template, Emulators emulators, LocalClients clients, LocalResources resources,
                          LocalEventBus bus, Map<String, LocalFunction> functions, List<SqsEventSourcePoller> pollers, HttpApiFront http) {
        this.template = template;
        this.emulators = emulators;
        this.clients = clients;
        this.resources = resources;
        this.bus = bus;
        this.functions = functions;
        this.pollers = pollers;
        this.http = http;
    }

    public static LocalPipeline start(LocalOptions options) throws TemplateException, IOException {
        CompletableFuture<Emulators> emulatorsStarting = CompletableFuture.supplyAsync(() -> Emulators.start(options.host(),
                options.sqsPort(), options.dynamoPort(), options.region(), options.accountId(), options.data()));
        StackTemplate template;
        try {
            Map<String, String> overrides = new HashMap<>(options.parameters());
            overrides.putIfAbsent("AWS::Region", options.region());
            overrides.putIfAbsent("AWS::AccountId", options.accountId());
            template = StackTemplate.load(options.template(), overrides);
        } catch (TemplateException e) {
            emulatorsStarting.thenAccept(Emulators::close);
            throw e;
        }
        Emulators emulators = emulatorsStarting.join();
        LocalClients clients = new LocalClients(emulators.sqsEndpoint(), emulators.dynamoEndpoint(), options.region());
        try {
            return assemble(options, template, emulators, clients);
        } catch (TemplateException | IOException | RuntimeException e) {
            clients.close();
            emulators.close();
            throw e;
        }
    }

    private static LocalPipeline assemble(LocalOptions options, StackTemplate template, Emulators emulators, LocalClients clients)
            throws TemplateException, IOException {
        SqsClient sqs = clients.sqs();
        DynamoDbClient dynamo = clients.dynamoDb();
        LocalResources resources = LocalResources.create(template, sqs, dynamo, options.region(), options.accountId());

        // Rule targets look their function up at delivery time: the functions need the bus's endpoint to be built.
        Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
        List<BusRule> rules = new ArrayList<>();
        for (RuleSpec rule : template.rules()) {
            String target = rule.targetFunctionLogicalId();
            String busName = rule.busLogicalId().equals("default") ? "default" : resources.busName(rule.busLogicalId());
            rules.add(new BusRule(rule.name(), busName, rule.patternJson(),
                    EventTarget.withArn(resources.functionArn(target), event -> functions.get(target).invoke(event)),
                    rule.maximumRetryAttempts(), rule.maximumEventAgeSeconds(),
                    rule.deadLetterQueueLogicalId().map(resources::queueUrl)));
        }
        List<String> busNames = template.buses().values().stream().map(b -> b.name()).toList();
        LocalEventBus bus = new LocalEventBus(new LocalEventBus.Settings(options.region(), options.accountId(), options.host(),
                options.busPort(), Duration.ofMillis(100), Duration.ofSeconds(5)), busNames, rules, sqs, Clock.systemUTC());
        bus.start();

        Map<String, String> localAws = localAwsEnvironment(options, emulators, bus.endpoint());
        try (var init = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, CompletableFuture<LocalFunction>> loading = new LinkedHashMap<>();
            for (FunctionSpec f : template.functions().values()) {
                Map<String, String> env = new HashMap<>(template.environmentOf(f, resources));
                env.putAll(localAws);
                env.put("AWS_LAMBDA_FUNCTION_NAME", f.logicalId());
                env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memoryMb()));
                loading.put(f.logicalId(), CompletableFuture.supplyAsync(
                        () -> LocalFunction.load(f, resources.functionArn(f.logicalId()), env), init));
            }
            loading.forEach((id, future) -> functions.put(id, future.join()));
        } catch (java.util.concurrent.CompletionException e) {
            bus.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }

        List<SqsEventSourcePoller> pollers = new ArrayList<>();
        HttpApiFront http = new HttpApiFront(options.host(), options.httpPort(), options.accountId(), () -> true);
        for (FunctionSpec f : template.functions().values()) {
            for (SqsEventSource source : f.sqsSources()) {
                pollers.add(new SqsEventSourcePoller(source, functions.get(f.logicalId()), sqs,
                        resources.queueUrl(source.queueLogicalId()), resources.queueArn(source.queueLogicalId()), options.region()));
            }
            for (HttpRoute route : f.httpRoutes()) {
                http.route(route, functions.get(f.logicalId()));
            }
        }
        pollers.forEach(SqsEventSourcePoller::start);
        http.start();
        return new LocalPipeline(template, emulators, clients, resources, bus, functions, pollers, http);
    }

    /** What Lambda would put in the environment, pointed at the emulators through the SDK's endpoint variables. */
    private static Map<String, String> localAwsEnvironment(LocalOptions options, Emulators emulators, URI busEndpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", options.region());
        env.put("AWS_DEFAULT_REGION", options.region());
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_SQS", emulators.sqsEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", emulators.dynamoEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", busEndpoint.toString());
        // The local stack's own webhook receivers live on loopback; in AWS such callbacks are refused.
        env.put("ALLOW_LOOPBACK_CALLBACKS", "true");
        return env;
    }

    /** {@code ./pipeline up}. */
    public static void main(String[] args) {
        // Exit explicitly: the emulators' non-daemon threads would otherwise keep a failed start alive.
        System.exit(UpCommand.run(args));
    }

    public StackTemplate template() {
        return template;
    }

    public LocalResources resources() {
        return resources;
    }

    public LocalEventBus bus() {
        return bus;
    }

    public LocalClients clients() {
        return clients;
    }

    public Optional<LocalFunction> function(String logicalId) {
        return Optional.ofNullable(functions.get(logicalId));
    }

    public URI httpEndpoint() {
        return http.endpoint();
    }

    public URI sqsEndpoint() {
        return emulators.sqsEndpoint();
    }

    public URI dynamoEndpoint() {
        return emulators.dynamoEndpoint();
    }

    public URI busEndpoint() {
        return bus.endpoint();
    }

    public List<String> routeKeys() {
        return http.routeKeys();
    }

    @Override
    public void close() {
        http.close();
        pollers.forEach(SqsEventSourcePoller::close);
        bus.close();
        clients.close();
        emulators.close();
    }
}
