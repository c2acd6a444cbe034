package io.jobpipeline.local.faults;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The runtime dies mid-batch: {@code completions} job completions (TransactWriteItems) go out to DynamoDB; when the
 * next one is about to, the process is gone: that call and every call after it fail, and answers still on their way
 * back (of those completions too) never reach the worker.
 */
public final class CrashAfterCompletions implements ExecutionInterceptor {
    public static final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash(String message) {
            super(message);
        }
    }

    private final int completions;
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean dead;

    public CrashAfterCompletions(int completions) {
        this.completions = completions;
    }

    public boolean crashed() {
        return dead;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof TransactWriteItemsRequest && started.incrementAndGet() > completions) {
            dead = true;
        }
        if (dead) {
            throw new SimulatedCrash("the invocation died after " + completions + " completions went out");
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (dead) {
            throw new SimulatedCrash("the invocation is dead; this answer never arrives");
        }
    }
}
