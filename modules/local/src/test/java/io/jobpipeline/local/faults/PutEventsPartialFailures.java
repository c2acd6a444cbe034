package io.jobpipeline.local.faults;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * A PutEvents partial failure, for real: a share of the entries is taken out of the request before it is sent (the bus
 * never sees them), and the answer gets an {@code InternalFailure} result at their places, as EventBridge answers
 * when it could not take some entries of a call.
 */
public final class PutEventsPartialFailures implements ExecutionInterceptor {
    private static final ExecutionAttribute<Set<Integer>> DROPPED = new ExecutionAttribute<>("test.putEvents.dropped");

    private final Random random;
    private volatile double failureRate;
    private final AtomicLong failed = new AtomicLong();

    public PutEventsPartialFailures(long seed, double failureRate) {
        this.random = new Random(seed);
        this.failureRate = failureRate;
    }

    /** From now on every entry is sent. */
    public void stop() {
        failureRate = 0;
    }

    public long failedEntries() {
        return failed.get();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof PutEventsRequest request)) {
            return context.request();
        }
        Set<Integer> dropped = new HashSet<>();
        List<PutEventsRequestEntry> kept = new ArrayList<>();
        synchronized (random) {
            for (int i = 0; i < request.entries().size(); i++) {
                if (random.nextDouble() < failureRate) {
                    dropped.add(i);
                } else {
                    kept.add(request.entries().get(i));
                }
            }
        }
        if (kept.isEmpty()) {
            // PutEvents needs one entry at least: let the first one through.
            dropped.remove(0);
            kept.add(request.entries().get(0));
        }
        attributes.putAttribute(DROPPED, dropped);
        return request.toBuilder().entries(kept).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        Set<Integer> dropped = attributes.getAttribute(DROPPED);
        if (!(context.response() instanceof PutEventsResponse response) || dropped == null || dropped.isEmpty()) {
            return context.response();
        }
        List<PutEventsResultEntry> results = new ArrayList<>();
        int real = 0;
        for (int i = 0; i < response.entries().size() + dropped.size(); i++) {
            if (dropped.contains(i)) {
                results.add(PutEventsResultEntry.builder().errorCode("InternalFailure").errorMessage("injected by the test").build());
            } else {
                results.add(response.entries().get(real++));
            }
        }
        failed.addAndGet(dropped.size());
        int alreadyFailed = response.failedEntryCount() == null ? 0 : response.failedEntryCount();
        return response.toBuilder().entries(results).failedEntryCount(alreadyFailed + dropped.size()).build();
    }
}
