package io.jobpipeline.local;

import io.jobpipeline.local.bus.BusArchive;
import io.jobpipeline.local.bus.BusRule;
import io.jobpipeline.local.bus.EventTarget;
import io.jobpipeline.local.bus.LocalEventBus;
import io.jobpipeline.local.emulator.Emulators;
import io.jobpipeline.local.emulator.LocalResources;
import io.jobpipeline.local.http.HttpApiFront;
import io.jobpipeline.local.http.JwtAuthorizer;
import io.jobpipeline.local.http.LocalSigningKey;
import io.jobpipeline.local.http.LocalTokens;
import io.jobpipeline.local.lambda.LocalFunction;
import io.jobpipeline.local.sqs.SqsEventSourcePoller;
import io.jobpipeline.local.bus.ReplayResult;
import io.jobpipeline.local.bus.Sleeper;
import io.jobpipeline.local.template.ArchiveSpec;
import io.jobpipeline.local.template.FunctionSpec;
import io.jobpipeline.local.template.HttpRoute;
import io.jobpipeline.local.template.JwtAuthorizerSpec;
import io.jobpipeline.local.template.RuleSpec;
import io.jobpipeline.local.template.SqsEventSource;
import io.jobpipeline.local.template.StackTemplate;
import io.jobpipeline.local.template.TemplateException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalPipeline.class);
    private final StackTemplate template;
    private final Emulators emulators;
    private final LocalClients clients;
    private final LocalResources resources;
    private final LocalEventBus bus;
    private final Map<String, LocalFunction> functions;
    private final List<SqsEventSourcePoller> pollers;
    private final HttpApiFront http;
    private final LocalSigningKey signingKey;

    private LocalPipeline(StackTemplate template, Emulators emulators, LocalClients clients, LocalResources resources,
                          LocalEventBus bus, Map<String, LocalFunction> functions, List<SqsEventSourcePoller> pollers, HttpApiFront http,
                          LocalSigningKey signingKey) {
        this.template = template;
        this.emulators = emulators;
        this.clients = clients;
        this.resources = resources;
        this.bus = bus;
        this.functions = functions;
        this.pollers = pollers;
        this.http = http;
        this.signingKey = signingKey;
    }

    public static LocalPipeline start(LocalOptions options) throws TemplateException, IOException {
        CompletableFuture<Emulators> emulatorsStarting = CompletableFuture.supplyAsync(() -> Emulators.start(options.host(),
                options.sqsPort(), options.dynamoPort(), options.region(), options.accountId(), options.data()));
        StackTemplate template;
        try {
            Map<String, String> overrides = new HashMap<>(options.parameters());
            overrides.putIfAbsent("AWS::Region", options.region());
            overrides.putIfAbsent("AWS::AccountId", options.accountId());
            // Secret parameters (NoEcho, no Default) come from a secret store in AWS; locally they are generated.
            overrides.putAll(LocalSecrets.missing(options.template(), overrides, options.data()));
            template = StackTemplate.load(options.template(), overrides);
        } catch (TemplateException e) {
            emulatorsStarting.thenAccept(Emulators::close);
            throw e;
        }
        Emulators emulators = emulatorsStarting.join();
        LocalClients clients = new LocalClients(emulators.sqsEndpoint(), emulators.dynamoEndpoint(), options.region(),
                options.wiring());
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
        // The template's JWT authorizers check tokens against the local signing key, where AWS asks the issuer.
        LocalSigningKey signingKey = options.signingKey().map(LocalSigningKey::loadOrCreate).orElseGet(LocalSigningKey::inMemory);
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
        List<BusArchive> archives = new ArrayList<>();
        for (ArchiveSpec archive : template.archives()) {
            archives.add(new BusArchive(archive.archiveName(), resources.busName(archive.busLogicalId()),
                    archive.retentionDays(), archive.patternJson()));
        }
        LocalEventBus bus = new LocalEventBus(new LocalEventBus.Settings(options.region(), options.accountId(), options.host(),
                options.busPort(), Duration.ofMillis(100), Duration.ofSeconds(5)), busNames, rules, archives, sqs,
                Clock.systemUTC(), Sleeper.system());
        bus.start();

        Map<String, String> localAws = localAwsEnvironment(options, emulators, bus.endpoint());
        try (var init = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, CompletableFuture<LocalFunction>> loading = new LinkedHashMap<>();
            for (FunctionSpec f : template.functions().values()) {
                Map<String, String> env = new HashMap<>(template.environmentOf(f, resources));
                env.putAll(localAws);
                env.put("AWS_LAMBDA_FUNCTION_NAME", f.logicalId());
                env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memoryMb()));
                String arn = resources.functionArn(f.logicalId());
                loading.put(f.logicalId(), CompletableFuture.supplyAsync(() -> options.wiring().handler(f, env)
                        .map(handler -> LocalFunction.of(f, arn, handler)).orElseGet(() -> LocalFunction.load(f, arn, env)), init));
            }
            loading.forEach((id, future) -> functions.put(id, future.join()));
        } catch (java.util.concurrent.CompletionException e) {
            bus.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }

        List<SqsEventSourcePoller> pollers = new ArrayList<>();
        Map<JwtAuthorizerSpec, JwtAuthorizer> authorizers = new HashMap<>();
        template.authorizers().forEach(a -> authorizers.put(a, new JwtAuthorizer(a, signingKey)));
        HttpApiFront http = new HttpApiFront(options.host(), options.httpPort(), options.accountId(), () -> true);
        for (FunctionSpec f : template.functions().values()) {
            for (SqsEventSource source : f.sqsSources()) {
                pollers.add(new SqsEventSourcePoller(source, functions.get(f.logicalId()), sqs,
                        resources.queueUrl(source.queueLogicalId()), resources.queueArn(source.queueLogicalId()), options.region()));
            }
            for (HttpRoute route : f.httpRoutes()) {
                http.route(route, functions.get(f.logicalId()), template.authorizerOf(route).map(authorizers::get).orElse(null));
            }
        }
        pollers.forEach(SqsEventSourcePoller::start);
        http.start();
        return new LocalPipeline(template, emulators, clients, resources, bus, functions, pollers, http, signingKey);
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

    /** The template's {@code AWS::Events::Archive} resources (StartReplay on the local bus replays from them). */
    public List<ArchiveSpec> archives() {
        try {
            return template.archives();
        } catch (TemplateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Replays the template's archive of its bus (the first archive, as {@code aws events start-replay} names one):
     * every archived event with {@code from <= time < to} goes through the bus's rules again, with
     * {@code "replay-name": replayName} in its envelope. Refused, as AWS would, when the template has no archive, the
     * window starts before the archive's retention or the name was used before. The replay itself runs on the calling
     * thread (StartReplay's run on their own); delivery is asynchronous, see {@link LocalEventBus#awaitIdle}.
     */
    public ReplayResult replay(String replayName, Instant from, Instant to) {
        ArchiveSpec archive = archives().stream().findFirst().orElseThrow(() ->
                new IllegalStateException("the template has no AWS::Events::Archive to replay from"));
        return bus.replayArchive(archive.archiveName(), replayName, from, to);
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

    /** The key the stack checks bearer tokens against. */
    public LocalSigningKey signingKey() {
        return signingKey;
    }

    /**
     * Tokens this stack accepts, for the template's first JWT authorizer: {@code tokens().mint("producer-a")}.
     *
     * @throws IllegalStateException if no HttpApi of the template has a JWT authorizer
     */
    public LocalTokens tokens() {
        return template.authorizers().stream().findFirst().map(a -> LocalTokens.of(a, signingKey))
                .orElseThrow(() -> new IllegalStateException(template.source() + " has no JWT authorizer"));
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
