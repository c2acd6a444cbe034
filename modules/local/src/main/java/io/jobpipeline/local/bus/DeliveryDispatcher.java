package io.jobpipeline.local.bus;

import io.jobpipeline.local.bus.DeadLetterSender.ExhaustedCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers matched events to targets asynchronously, one virtual thread per delivery, at most
 * {@code maxConcurrent} target invocations at a time. A failed invocation is retried with exponential backoff
 * (first delay, doubling, capped) until the rule's MaximumRetryAttempts retries are spent or the next retry would
 * fall after MaximumEventAgeInSeconds; then the event goes to the rule's dead-letter queue, or is logged and dropped.
 */
final class DeliveryDispatcher implements AutoCloseable {

    /** One (event, rule) pair; {@code ingestedAt} is where the event's age is counted from. */
    record Delivery(BusRule rule, String ruleArn, String targetArn, String eventJson, Instant ingestedAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private final Duration firstRetryDelay;
    private final Duration maxRetryDelay;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DeadLetterSender deadLetters;
    private final StatsCounters stats;
    private final Semaphore invocations;
    private final ExecutorService executor =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("event-bus-delivery-", 0).factory());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;
    private volatile boolean closed;

    DeliveryDispatcher(Duration firstRetryDelay, Duration maxRetryDelay, int maxConcurrent, Clock clock,
                       Sleeper sleeper, DeadLetterSender deadLetters, StatsCounters stats) {
        this.firstRetryDelay = firstRetryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.clock = clock;
        this.sleeper = sleeper;
        this.deadLetters = deadLetters;
        this.stats = stats;
        this.invocations = new Semaphore(maxConcurrent);
    }

    /** Starts a delivery and returns at once. */
    void dispatch(Delivery delivery) {
        changeInFlight(+1);
        stats.deliveriesScheduled.increment();
        try {
            executor.execute(() -> {
                try {
                    run(delivery);
                } finally {
                    changeInFlight(-1);
                }
            });
        } catch (RejectedExecutionException e) {
            changeInFlight(-1);
            stats.dropped.increment();
            LOG.warn("event bus is closed; delivery of an event to rule {} dropped", delivery.ruleArn());
        }
    }

    /** The wait before retry number {@code retry} (1-based): first delay doubled each time, capped. */
    static Duration backoff(Duration first, Duration max, int retry) {
        Duration delay = first;
        for (int i = 1; i < retry && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    private void run(Delivery delivery) {
        BusRule rule = delivery.rule();
        Duration maximumAge = Duration.ofSeconds(rule.maximumEventAgeSeconds());
        int retries = 0;
        while (true) {
            Throwable failure = invoke(delivery);
            if (failure == null) {
                stats.deliveriesSucceeded.increment();
                return;
            }
            if (closed) {
                abandon(delivery);
                return;
            }
            stats.failedAttempts.increment();
            if (retries >= rule.maximumRetryAttempts()) {
                exhausted(delivery, failure, ExhaustedCondition.MaximumRetryAttempts, retries);
                return;
            }
            Duration delay = backoff(firstRetryDelay, maxRetryDelay, retries + 1);
            Duration ageAtRetry = Duration.between(delivery.ingestedAt(), clock.instant()).plus(delay);
            if (ageAtRetry.compareTo(maximumAge) > 0) {
                exhausted(delivery, failure, ExhaustedCondition.MaximumEventAgeInSeconds, retries);
                return;
            }
            LOG.debug("target of rule {} failed ({}); retry {} in {}", delivery.ruleArn(), failure.toString(),
                    retries + 1, delay);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                abandon(delivery);
                return;
            }
            retries++;
            stats.retries.increment();
        }
    }

    /** Null on success, else what the target threw. */
    private Throwable invoke(Delivery delivery) {
        try {
            invocations.acquire();
        } catch (InterruptedException e) {
            return e;
        }
        try {
            delivery.rule().target().deliver(delivery.eventJson());
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            return e;
        } finally {
            invocations.release();
        }
    }

    private void exhausted(Delivery delivery, Throwable failure, ExhaustedCondition condition, int retries) {
        BusRule rule = delivery.rule();
        if (rule.deadLetterQueueUrl().isEmpty()) {
            stats.dropped.increment();
            LOG.warn("rule {}: delivery failed after {} retries ({}), no dead-letter queue, event dropped: {}",
                    delivery.ruleArn(), retries, condition, delivery.eventJson(), failure);
            return;
        }
        var attributes = DeadLetterSender.attributes(delivery.ruleArn(), delivery.targetArn(), failure, condition,
                retries);
        if (deadLetters.send(rule.deadLetterQueueUrl().get(), delivery.eventJson(), attributes)) {
            stats.deadLettered.increment();
            LOG.info("rule {}: delivery failed after {} retries ({}), event sent to {}", delivery.ruleArn(),
                    retries, condition, rule.deadLetterQueueUrl().get());
        } else {
            stats.deadLetterSendFailures.increment();
        }
    }

    private void abandon(Delivery delivery) {
        stats.dropped.increment();
        LOG.warn("event bus closing; delivery to rule {} abandoned: {}", delivery.ruleArn(), delivery.eventJson());
    }

    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no delivery is queued, running or waiting for a retry; false on timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = idle.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void changeInFlight(int delta) {
        lock.lock();
        try {
            inFlight += delta;
            if (inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts deliveries in progress (they are counted as dropped) and waits briefly for them to stop. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("event bus deliveries still running 5 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
