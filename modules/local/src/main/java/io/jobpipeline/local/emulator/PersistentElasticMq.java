package io.jobpipeline.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.CreateQueueMetadata;
import org.elasticmq.persistence.sql.DB;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.List$;
import scala.util.Left;
import scalikejdbc.ConnectionPool$;

/**
 * ElasticMQ whose queues (with their attributes, redrive policies and tags) and messages (with receive counts,
 * receipts and visibility) live in an H2 database under a directory, so they survive a stop and a start.
 *
 * <p>This is what ElasticMQ's own standalone server ({@code org.elasticmq.server.ElasticMQServer}) does with
 * {@code messages-storage.enabled = true}: a {@link SqlQueuePersistenceActor} listens to every queue and message
 * event, and on start it re-creates the stored queues and their messages through the {@link QueueManagerActor}.
 * (When the SQL store is on, the standalone server ignores {@code queues-storage}: the SQL store keeps the queue
 * metadata itself, in its {@code queue} table.) Assembled here rather than through {@code ElasticMQServer} because
 * that one neither reports the port it bound (port 0) nor waits for the restore before it returns.
 *
 * <p>An acknowledged send survives a SIGKILL: ElasticMQ 1.7.1 answers SendMessage (and receives, deletes) only once the
 * store actor has replied, which it does after its insert committed; and H2 runs with {@code WRITE_DELAY=0}, so a
 * commit is in the file (the OS's page cache, which outlives the process) before it returns. Queue creates and
 * attribute changes reach the store without a reply; the local stack creates its queues again on every start.
 *
 * <p>ElasticMQ's SQL store keeps its connection pool in a JVM-wide singleton (scalikejdbc's default pool), so only
 * one persistent ElasticMQ can run in a JVM at a time; starting a second one while the first is open fails.
 */
final class PersistentElasticMq implements AutoCloseable {
    /** Within this, the stored queues and their messages are back, or start fails (ElasticMQ gives each queue 5 s). */
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicReference<PersistentElasticMq> OPEN = new AtomicReference<>();

    private final Path directory;
    private ActorSystem system;
    private ActorRef store;
    private ActorRef queueManager;
    private SQSRestServer server;
    private int port;

    private PersistentElasticMq(Path directory) {
        this.directory = directory;
    }

    /** ElasticMQ on host:port (0 picks a free port), keeping its state in {@code directory} (created if missing). */
    static PersistentElasticMq start(String host, int port, String region, String accountId, Path directory) {
        PersistentElasticMq sqs = new PersistentElasticMq(directory);
        PersistentElasticMq running = OPEN.compareAndExchange(null, sqs);
        if (running != null) {
            throw new IllegalStateException("ElasticMQ already keeps its state in " + running.directory
                    + " in this JVM; its SQL store allows one data directory per JVM at a time");
        }
        try {
            sqs.run(host, port, region, accountId);
            return sqs;
        } catch (RuntimeException | Error e) {
            sqs.close();
            throw e;
        }
    }

    private void run(String host, int requestedPort, String region, String accountId) {
        // Opening the database and starting the actor system each take a few hundred milliseconds: side by side.
        CompletableFuture<SqlQueuePersistenceConfig> opening = CompletableFuture.supplyAsync(() -> openStore(directory));
        try {
            system = ActorSystem.create("elasticmq");
        } catch (RuntimeException | Error e) {
            opening.exceptionally(failed -> null).join(); // done opening, so that close() closes what it opened
            throw e;
        }
        SqlQueuePersistenceConfig config;
        try {
            config = opening.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        ActorRef store = system.actorOf(Props.create(SqlQueuePersistenceActor.class,
                () -> new SqlQueuePersistenceActor(config, List$.MODULE$.<CreateQueueMetadata>empty())), "sqs-store");
        ActorRef queueManager = system.actorOf(Props.create(QueueManagerActor.class,
                () -> new QueueManagerActor(new NowProvider(), SQSRestServerBuilder.sqsLimits(), Option.apply(store))),
                "sqs-queues");
        this.store = store;
        this.queueManager = queueManager;
        // Restoring reads the database while the HTTP server binds; start() returns once both are done.
        CompletableFuture<Object> restored = Patterns.ask(store, new QueueEvent.Restore(queueManager), RESTORE_TIMEOUT)
                .toCompletableFuture();
        server = SQSRestServerBuilder.withActorSystem(system).withQueueManagerActor(queueManager)
                .withInterface(host).withPort(requestedPort)
                .withAWSRegion(region).withAWSAccountId(accountId).start();
        port = server.waitUntilStarted().localAddress().getPort();
        Object result;
        try {
            result = restored.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("ElasticMQ did not restore its queues from " + directory + " within "
                    + RESTORE_TIMEOUT.toSeconds() + " s (see its log): " + e.getCause(), e.getCause());
        }
        if (result instanceof Left<?, ?> errors) {
            throw new IllegalStateException("ElasticMQ could not restore its queues from " + directory + ": " + errors.value());
        }
    }

    /**
     * Points ElasticMQ's JVM-wide connection pool at {@code directory/elasticmq.mv.db} and opens it once, so a
     * database that another process holds fails here, with H2's message, rather than inside an actor.
     */
    private static SqlQueuePersistenceConfig openStore(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String file = directory.toAbsolutePath().normalize().resolve("elasticmq").toString();
        if (file.contains(";")) {
            throw new IllegalArgumentException("the data directory may not contain ';' (H2 reads it as an option): " + directory);
        }
        // close() closes the database once ElasticMQ is done writing; H2's own shutdown hook would race with it.
        // WRITE_DELAY=0: H2 writes each commit to the file before the commit returns. By default its MVStore keeps
        // commits in memory for up to 500 ms, so a SIGKILL lost messages ElasticMQ had already acknowledged.
        String url = "jdbc:h2:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false);
        // The first call in a JVM creates the default pool; later ones do nothing, so a closed or other pool is replaced.
        DB.initializeSingleton(config);
        ConnectionPool$ pools = ConnectionPool$.MODULE$;
        String name = pools.DEFAULT_NAME();
        if (!pools.isInitialized(name) || !url.equals(pools.get(name).url())) {
            pools.singleton(url, "", "", pools.singleton$default$4(), pools.singleton$default$5(url, "", "", pools.singleton$default$4()));
        }
        try (Connection connection = pools.get(name).borrow()) {
            connection.isValid(1);
        } catch (SQLException e) {
            throw new IllegalStateException("ElasticMQ cannot open its store " + file + ".mv.db: " + e.getMessage(), e);
        }
        return config;
    }

    int port() {
        return port;
    }

    /**
     * Stops the HTTP server, then the actors, then closes the database. The queue manager and then the store are
     * stopped gracefully first (a PoisonPill queues behind what their mailboxes hold): ElasticMQ tells the store of
     * queue changes without waiting for it, and terminating the actor system at once would drop those writes.
     */
    @Override
    public void close() {
        if (OPEN.get() != this) {
            return; // closed already
        }
        try {
            if (server != null) {
                server.stopAndWait();
            }
        } finally {
            try {
                if (system != null) {
                    for (ActorRef actor : new ActorRef[] {queueManager, store}) {
                        if (actor != null) {
                            Patterns.gracefulStop(actor, STOP_TIMEOUT).toCompletableFuture()
                                    .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                        }
                    }
                    system.terminate();
                    system.getWhenTerminated().toCompletableFuture().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // closing the database anyway
            } finally {
                closePool();
                OPEN.compareAndSet(this, null);
            }
        }
    }

    private static void closePool() {
        ConnectionPool$ pools = ConnectionPool$.MODULE$;
        String name = pools.DEFAULT_NAME();
        if (pools.isInitialized(name)) {
            pools.close(name);
        }
    }
}
