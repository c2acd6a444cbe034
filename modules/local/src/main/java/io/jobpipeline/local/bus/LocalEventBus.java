package io.jobpipeline.local.bus;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local EventBridge endpoint for the AWS SDK ({@code endpointOverride}) and {@code aws events --endpoint-url}:
 * PutEvents with EventBridge's limits and per-entry errors, Event Ruler matching per bus, asynchronous delivery with
 * the rules' retry policies and SQS dead-letter queues, an in-memory archive of custom-bus events and replay.
 */
public final class LocalEventBus implements AutoCloseable {

    /**
     * @param region                  region in ARNs and envelopes
     * @param accountId               account in ARNs and envelopes
     * @param host                    interface to bind, normally 127.0.0.1
     * @param port                    port to bind; 0 picks a free one
     * @param firstRetryDelay         wait before the first retry of a failed delivery; doubles per retry
     * @param maxRetryDelay           cap of the retry wait
     * @param maxRequestEntriesBytes  PutEvents limit on the summed entry sizes (AWS's calculation)
     * @param unknownBusPolicy        what to do with entries for a bus that does not exist
     * @param maxConcurrentDeliveries target invocations running at once (further deliveries wait their turn)
     * @param archiveCapacityPerBus   archived events kept per custom bus (oldest dropped first)
     */
    public record Settings(String region, String accountId, String host, int port, Duration firstRetryDelay,
                           Duration maxRetryDelay, long maxRequestEntriesBytes, UnknownBusPolicy unknownBusPolicy,
                           int maxConcurrentDeliveries, int archiveCapacityPerBus) {

        /** The PutEvents entries limit of the brief and of AWS's size-calculation page. */
        public static final long DEFAULT_MAX_REQUEST_ENTRIES_BYTES = 256 * 1024;
        public static final int DEFAULT_MAX_CONCURRENT_DELIVERIES = 64;
        public static final int DEFAULT_ARCHIVE_CAPACITY_PER_BUS = 100_000;

        public Settings {
            requireText(region, "region");
            requireText(accountId, "accountId");
            requireText(host, "host");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
            Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
            if (firstRetryDelay.isNegative() || firstRetryDelay.isZero() || maxRetryDelay.compareTo(firstRetryDelay) < 0) {
                throw new IllegalArgumentException("need 0 < firstRetryDelay <= maxRetryDelay, was "
                        + firstRetryDelay + " / " + maxRetryDelay);
            }
            if (maxRequestEntriesBytes < 1 || maxConcurrentDeliveries < 1 || archiveCapacityPerBus < 1) {
                throw new IllegalArgumentException("maxRequestEntriesBytes, maxConcurrentDeliveries and "
                        + "archiveCapacityPerBus must be positive");
            }
            Objects.requireNonNull(unknownBusPolicy, "unknownBusPolicy");
        }

        /** 256 KiB request limit, REJECT_ENTRY for unknown buses, 64 concurrent deliveries, 100,000 archived/bus. */
        public Settings(String region, String accountId, String host, int port, Duration firstRetryDelay,
                        Duration maxRetryDelay) {
            this(region, accountId, host, port, firstRetryDelay, maxRetryDelay, DEFAULT_MAX_REQUEST_ENTRIES_BYTES,
                    UnknownBusPolicy.REJECT_ENTRY, DEFAULT_MAX_CONCURRENT_DELIVERIES, DEFAULT_ARCHIVE_CAPACITY_PER_BUS);
        }

        public Settings withUnknownBusPolicy(UnknownBusPolicy policy) {
            return new Settings(region, accountId, host, port, firstRetryDelay, maxRetryDelay, maxRequestEntriesBytes,
                    policy, maxConcurrentDeliveries, archiveCapacityPerBus);
        }

        /** E.g. 1 MiB, AWS's event size limit since January 2026. */
        public Settings withMaxRequestEntriesBytes(long bytes) {
            return new Settings(region, accountId, host, port, firstRetryDelay, maxRetryDelay, bytes,
                    unknownBusPolicy, maxConcurrentDeliveries, archiveCapacityPerBus);
        }

        private static void requireText(String value, String field) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("Settings." + field + " must not be blank");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalEventBus.class);

    private final Settings settings;
    private final BusEngine engine;
    private final ArchiveReplays archives;
    private HttpServer server;
    private ExecutorService httpExecutor;

    /** Retries really sleep (on virtual threads). */
    public LocalEventBus(Settings settings, List<String> customBusNames, List<BusRule> rules, SqsClient dlqClient,
                         Clock clock) {
        this(settings, customBusNames, rules, dlqClient, clock, Sleeper.system());
    }

    /**
     * @param dlqClient may be null if no rule has a dead-letter queue; it is not closed by {@link #close()}
     * @param clock     ingestion time, envelope {@code time} and event age
     * @param sleeper   waits between retries; tests may advance a fake clock instead
     */
    public LocalEventBus(Settings settings, List<String> customBusNames, List<BusRule> rules, SqsClient dlqClient,
                         Clock clock, Sleeper sleeper) {
        this(settings, customBusNames, rules, List.of(), dlqClient, clock, sleeper);
    }

    /**
     * @param archives the buses' archives, served by ListArchives, DescribeArchive and StartReplay
     * @param dlqClient may be null if no rule has a dead-letter queue; it is not closed by {@link #close()}
     */
    public LocalEventBus(Settings settings, List<String> customBusNames, List<BusRule> rules, List<BusArchive> archives,
                         SqsClient dlqClient, Clock clock, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        BusRegistry registry = new BusRegistry(settings.region(), settings.accountId(), List.copyOf(customBusNames));
        RuleMatcher matcher = new RuleMatcher(registry, List.copyOf(rules));
        if (dlqClient == null && rules.stream().anyMatch(rule -> rule.deadLetterQueueUrl().isPresent())) {
            LOG.warn("rules have dead-letter queues but no SqsClient was given; exhausted events will be lost");
        }
        StatsCounters stats = new StatsCounters();
        DeliveryDispatcher dispatcher = new DeliveryDispatcher(settings.firstRetryDelay(), settings.maxRetryDelay(),
                settings.maxConcurrentDeliveries(), clock, Objects.requireNonNull(sleeper, "sleeper"),
                new DeadLetterSender(dlqClient), stats);
        this.engine = new BusEngine(registry,
                new PutEventsValidator(registry, settings.maxRequestEntriesBytes(), settings.unknownBusPolicy()),
                new EnvelopeBuilder(settings.region(), settings.accountId()), matcher,
                new EventArchive(settings.archiveCapacityPerBus()), dispatcher, stats, clock);
        this.archives = new ArchiveReplays(engine, List.copyOf(archives), clock);
    }

    /** Binds the HTTP endpoint. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer created = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 0);
        httpExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("event-bus-http-", 0).factory());
        created.setExecutor(httpExecutor);
        created.createContext("/", new BusHttpHandler(engine, archives));
        created.start();
        server = created;
        LOG.info("local EventBridge endpoint on {} (buses {})", endpoint(), engine.registry().names());
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    /** {@code http://host:port}, for {@code endpointOverride} and {@code --endpoint-url}. */
    public URI endpoint() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** {@code arn:aws:events:<region>:<account>:event-bus/<name>}. */
    public String busArn(String busName) {
        return engine.registry().busArn(busName);
    }

    /** Re-sends the archived events of a custom bus with {@code from <= time < to} through all its rules. */
    public ReplayResult replay(String replayName, String busName, Instant from, Instant to) {
        return replay(replayName, busName, from, to, Optional.empty());
    }

    /** As {@link #replay(String, String, Instant, Instant)}, limited to one rule when {@code ruleName} is given. */
    public ReplayResult replay(String replayName, String busName, Instant from, Instant to,
                               Optional<String> ruleName) {
        Set<String> rules = Objects.requireNonNull(ruleName, "ruleName").map(Set::of).orElse(Set.of());
        return engine.replay(replayName, busName, from, to, rules, event -> true);
    }

    /**
     * Replays from one of the configured archives, as StartReplay does but on the calling thread; the replay is
     * listed by ListReplays and DescribeReplay. Refused (IllegalArgumentException) for an unknown archive, a bad
     * window or a reused replay name.
     */
    public ReplayResult replayArchive(String archiveName, String replayName, Instant from, Instant to) {
        return archives.replayNow(archiveName, replayName, from, to);
    }

    public BusStats stats() {
        return engine.stats();
    }

    /** Waits until no delivery is queued, running or waiting to retry. Returns false if the timeout passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return engine.awaitIdle(timeout);
    }

    /** Stops the endpoint and abandons deliveries still retrying. Does not close the SqsClient. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            httpExecutor.shutdownNow();
            server = null;
        }
        archives.close();
        engine.close();
    }
}
