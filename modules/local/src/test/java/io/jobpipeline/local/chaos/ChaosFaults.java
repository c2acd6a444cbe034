package io.jobpipeline.local.chaos;

import io.jobpipeline.analytics.AnalyticsHandler;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.core.settings.Environment;
import io.jobpipeline.intake.IntakeHandler;
import io.jobpipeline.local.LocalWiring;
import io.jobpipeline.local.faults.FaultyDynamoDbHttp;
import io.jobpipeline.local.faults.FaultyHttpClient;
import io.jobpipeline.local.faults.FaultyHttpClient.Fault;
import io.jobpipeline.local.faults.PutEventsPartialFailures;
import io.jobpipeline.local.template.FunctionSpec;
import io.jobpipeline.notifications.NotificationHandler;
import io.jobpipeline.worker.WorkerHandler;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The soak's faults, wired into the local stack through the SDK's own interfaces: each function gets SDK clients
 * whose HTTP client throttles a share of its DynamoDB calls ({@link FaultyDynamoDbHttp}); the worker's PutEvents lose
 * entries ({@link PutEventsPartialFailures}) and its invocations are killed or doubled ({@link ChaosWorker}); the event
 * source mapping's ReceiveMessage calls fail ({@link FaultyHttpClient} under the stack's own clients); and for a while
 * the analytics consumer cannot write at all. {@link #stop} ends them all; the worker's wire keeps counting the
 * transactions that wrote each entity, which is how "applied twice" is measured.
 */
final class ChaosFaults implements LocalWiring {
    private final ChaosSettings settings;
    private final FaultyDynamoDbHttp intakeWire;
    private final FaultyDynamoDbHttp workerWire;
    private final FaultyDynamoDbHttp notificationsWire;
    private final FaultyDynamoDbHttp analyticsWire;
    private final FaultyHttpClient analyticsOutage;
    private final PutEventsPartialFailures putEvents;
    private final Random receiveRandom;
    private volatile FaultyHttpClient receives;
    private volatile ChaosWorker worker;

    ChaosFaults(ChaosSettings settings) {
        this.settings = settings;
        long seed = settings.seed();
        double throttle = settings.dynamoThrottleShare();
        this.intakeWire = new FaultyDynamoDbHttp(seed + 1, throttle);
        this.workerWire = new FaultyDynamoDbHttp(seed + 2, throttle);
        this.notificationsWire = new FaultyDynamoDbHttp(seed + 3, throttle);
        this.analyticsWire = new FaultyDynamoDbHttp(seed + 4, throttle);
        this.analyticsOutage = new FaultyHttpClient(analyticsWire);
        this.putEvents = new PutEventsPartialFailures(seed + 5, settings.putEventsFailureShare());
        this.receiveRandom = new Random(seed + 6);
    }

    @Override
    public Optional<Object> handler(FunctionSpec function, Map<String, String> environment) {
        String type = function.handlerClass();
        if (type.equals(IntakeHandler.class.getName())) {
            return Optional.of(new IntakeHandler(environment, clients(environment, intakeWire)));
        }
        if (type.equals(WorkerHandler.class.getName())) {
            worker = new ChaosWorker(environment, clients(environment, workerWire), putEvents, settings.seed() + 7,
                    settings.crashShare(), settings.duplicateShare());
            return Optional.of(worker);
        }
        if (type.equals(NotificationHandler.class.getName())) {
            return Optional.of(new NotificationHandler(environment, clients(environment, notificationsWire)));
        }
        if (type.equals(AnalyticsHandler.class.getName())) {
            return Optional.of(new AnalyticsHandler(environment, clients(environment, analyticsOutage)));
        }
        return Optional.empty();
    }

    @Override
    public SdkHttpClient stackHttpClient(SdkHttpClient real) {
        receives = new FaultyHttpClient(real).fail("ReceiveMessage", body -> chance(receiveRandom, settings.receiveErrorShare()),
                Fault.SERVER_ERROR);
        return receives;
    }

    /** The handlers' clients share one HTTP client per function, as the clients of one container do. */
    private static AwsClients clients(Map<String, String> environment, SdkHttpClient http) {
        return new AwsClients(new Environment(environment), http);
    }

    private static boolean chance(Random random, double share) {
        synchronized (random) {
            return share > 0 && random.nextDouble() < share;
        }
    }

    /** From now on the analytics consumer's transactions are throttled, every one of them, until {@link #endOutage}. */
    void startOutage() {
        analyticsOutage.fail("TransactWriteItems", Fault.THROTTLING);
    }

    /** Whether the analytics consumer has called DynamoDB yet: events are flowing. */
    boolean analyticsBusy() {
        return analyticsWire.dynamoCalls() > 0;
    }

    void endOutage() {
        analyticsOutage.heal();
    }

    void stop() {
        intakeWire.stop();
        workerWire.stop();
        notificationsWire.stop();
        analyticsWire.stop();
        analyticsOutage.heal();
        putEvents.stop();
        if (receives != null) {
            receives.heal();
        }
        if (worker != null) {
            worker.stop();
        }
    }

    /** How many TransactWriteItems that DynamoDB Local applied wrote the entity with this partition key. */
    int transactionsThatWrote(String partitionKey) {
        return workerWire.writesOf(partitionKey);
    }

    /** How many TransactWriteItems writing this entity got no answer (a timeout): applied or not, nobody heard. */
    int unansweredTransactionsThatWrote(String partitionKey) {
        return workerWire.unansweredWritesOf(partitionKey);
    }

    /** One line per fault: how often it hit. */
    String injected() {
        long throttled = intakeWire.injected() + workerWire.injected() + notificationsWire.injected() + analyticsWire.injected();
        return String.format(Locale.ROOT, "DynamoDB calls throttled %d (intake %d, worker %d, notifications %d, analytics %d); "
                        + "PutEvents entries failed %d; SQS receives failed %d; worker invocations killed %d; batches delivered "
                        + "twice %d; analytics writes refused during the outage %d",
                throttled, intakeWire.injected(), workerWire.injected(), notificationsWire.injected(), analyticsWire.injected(),
                putEvents.failedEntries(), receives == null ? 0 : receives.injected("ReceiveMessage"),
                worker == null ? 0 : worker.killed(), worker == null ? 0 : worker.doubled(),
                analyticsOutage.injected("TransactWriteItems"));
    }

    /** Whether every kind of fault hit at least once: a soak where one never fired proves nothing about it. */
    Optional<String> faultThatNeverHit() {
        if (workerWire.injected() == 0) {
            return Optional.of("DynamoDB throttling of the worker");
        }
        if (putEvents.failedEntries() == 0) {
            return Optional.of("PutEvents partial failures");
        }
        if (receives == null || receives.injected("ReceiveMessage") == 0) {
            return Optional.of("SQS receive errors");
        }
        if (worker == null || worker.killed() == 0) {
            return Optional.of("worker invocations killed mid-batch");
        }
        if (worker.doubled() == 0) {
            return Optional.of("duplicate deliveries");
        }
        if (analyticsOutage.injected("TransactWriteItems") == 0) {
            return Optional.of("the analytics consumer's outage");
        }
        return Optional.empty();
    }
}
