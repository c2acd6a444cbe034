package io.jobpipeline.local.chaos;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.local.faults.CrashAfterCompletions;
import io.jobpipeline.local.faults.PutEventsPartialFailures;
import io.jobpipeline.worker.WorkerHandler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker function as the event source mapping sees it, with two of Lambda's misfortunes on a share of the
 * batches. Killed: the batch goes to a container that dies after a random number of completions went out
 * ({@link CrashAfterCompletions}); Lambda gets no response, so nothing is deleted and the messages come back after
 * the visibility timeout. Delivered twice: the same batch goes to two containers at once, as when SQS hands a message
 * out again; a message is deleted only if both answers let it go.
 */
public final class ChaosWorker implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Map<String, String> environment;
    private final AwsClients aws;
    private final PutEventsPartialFailures putEvents;
    private final WorkerHandler container;
    private final WorkerHandler twin;
    private final Random random;
    private final double crashShare;
    private final double duplicateShare;
    private final AtomicLong killed = new AtomicLong();
    private final AtomicLong doubled = new AtomicLong();
    private volatile boolean on = true;

    ChaosWorker(Map<String, String> environment, AwsClients aws, PutEventsPartialFailures putEvents, long seed,
                double crashShare, double duplicateShare) {
        this.environment = Map.copyOf(environment);
        this.aws = aws;
        this.putEvents = putEvents;
        this.container = new WorkerHandler(environment, aws, List.of(putEvents));
        this.twin = new WorkerHandler(environment, aws, List.of(putEvents));
        this.random = new Random(seed);
        this.crashShare = crashShare;
        this.duplicateShare = duplicateShare;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        int batch = event.getRecords() == null ? 0 : event.getRecords().size();
        double roll;
        int survivingCompletions;
        synchronized (random) {
            roll = random.nextDouble();
            survivingCompletions = random.nextInt(Math.max(1, batch));
        }
        if (on && roll < crashShare) {
            return die(event, context, survivingCompletions);
        }
        if (on && roll < crashShare + duplicateShare) {
            return twice(event, context);
        }
        return container.handleRequest(event, context);
    }

    private SQSBatchResponse die(SQSEvent event, Context context, int completions) {
        killed.incrementAndGet();
        CrashAfterCompletions crash = new CrashAfterCompletions(completions);
        WorkerHandler doomed = new WorkerHandler(environment, aws, List.of(putEvents, crash));
        try {
            doomed.handleRequest(event, context);
        } catch (CrashAfterCompletions.SimulatedCrash e) {
            // the container is gone; whatever it answered, nobody hears it
        }
        throw new IllegalStateException("the worker's container died mid-batch after " + completions + " completions");
    }

    private SQSBatchResponse twice(SQSEvent event, Context context) {
        doubled.incrementAndGet();
        CompletableFuture<SQSBatchResponse> other = CompletableFuture.supplyAsync(() -> twin.handleRequest(event, context),
                command -> Thread.ofVirtual().start(command));
        SQSBatchResponse mine = container.handleRequest(event, context);
        Set<String> retry = new LinkedHashSet<>(failedIds(mine));
        retry.addAll(failedIds(other.join()));
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        retry.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
        return new SQSBatchResponse(failures);
    }

    private static List<String> failedIds(SQSBatchResponse response) {
        if (response == null || response.getBatchItemFailures() == null) {
            return List.of();
        }
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    void stop() {
        on = false;
    }

    long killed() {
        return killed.get();
    }

    long doubled() {
        return doubled.get();
    }
}
