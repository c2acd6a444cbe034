package io.jobpipeline.aws.logging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.spi.MDCAdapter;

/**
 * The MDC per thread, not inherited by threads started inside a scope (as log4j2's default): a pool thread started
 * during one record's scope must not carry its keys into later lines.
 */
final class ThreadMdc implements MDCAdapter {
    private final ThreadLocal<Map<String, String>> fields = ThreadLocal.withInitial(HashMap::new);
    private final ThreadLocal<Map<String, Deque<String>>> deques = ThreadLocal.withInitial(HashMap::new);

    @Override
    public void put(String key, String value) {
        fields.get().put(key, value);
    }

    @Override
    public String get(String key) {
        return fields.get().get(key);
    }

    @Override
    public void remove(String key) {
        fields.get().remove(key);
    }

    @Override
    public void clear() {
        fields.get().clear();
    }

    @Override
    public Map<String, String> getCopyOfContextMap() {
        return new HashMap<>(fields.get());
    }

    @Override
    public void setContextMap(Map<String, String> contextMap) {
        Map<String, String> map = fields.get();
        map.clear();
        map.putAll(contextMap);
    }

    /** The keys in name order, as log4j2's context map printed them. */
    Map<String, String> sorted() {
        Map<String, String> map = fields.get();
        return map.isEmpty() ? Map.of() : new TreeMap<>(map);
    }

    @Override
    public void pushByKey(String key, String value) {
        deques.get().computeIfAbsent(key, k -> new ArrayDeque<>()).push(value);
    }

    @Override
    public String popByKey(String key) {
        Deque<String> deque = deques.get().get(key);
        return deque == null ? null : deque.poll();
    }

    @Override
    public Deque<String> getCopyOfDequeByKey(String key) {
        Deque<String> deque = deques.get().get(key);
        return deque == null ? null : new ArrayDeque<>(deque);
    }

    @Override
    public void clearDequeByKey(String key) {
        Deque<String> deque = deques.get().get(key);
        if (deque != null) {
            deque.clear();
        }
    }
}
