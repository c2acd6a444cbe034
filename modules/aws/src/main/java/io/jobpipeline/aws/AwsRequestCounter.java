package io.jobpipeline.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the requests that went on the wire, by service and operation ({@code "DynamoDb.UpdateItem"}): every HTTP
 * attempt, retries included, which is what AWS bills and throttles; and the time they took on the wire. Register it on
 * the clients to measure ({@code WorkerHandler(env, clients, List.of(counter))}).
 */
public final class AwsRequestCounter implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> SENT_AT = new ExecutionAttribute<>("jobpipeline.requestCounter.sentAt");

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        counts.computeIfAbsent(key(attributes), k -> new LongAdder()).increment();
        attributes.putAttribute(SENT_AT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long sentAt = attributes.getAttribute(SENT_AT);
        if (sentAt != null) {
            nanos.computeIfAbsent(key(attributes), k -> new LongAdder()).add(System.nanoTime() - sentAt);
        }
    }

    /** The counts so far, by {@code Service.Operation}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** The counts so far, summed per service ({@code "DynamoDb"}, {@code "Sqs"}, {@code "EventBridge"}). */
    public Map<String, Long> byService() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.merge(k.substring(0, k.indexOf('.')), v.sum(), Long::sum));
        return copy;
    }

    /** Mean time on the wire per request, in milliseconds, by {@code Service.Operation}. */
    public Map<String, Double> meanMillis() {
        Map<String, Double> means = new TreeMap<>();
        nanos.forEach((k, v) -> {
            long n = counts.getOrDefault(k, new LongAdder()).sum();
            if (n > 0) {
                means.put(k, v.sum() / 1e6 / n);
            }
        });
        return means;
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public void reset() {
        counts.clear();
        nanos.clear();
    }

    private static String key(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }
}
