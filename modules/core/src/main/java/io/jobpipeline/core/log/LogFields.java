package io.jobpipeline.core.log;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The keys every log line about a job carries (the JSON layouts print the MDC as top-level fields), set for a scope
 * and put back as they were when it closes, so one record's keys never leak into the next record's lines.
 */
public final class LogFields implements AutoCloseable {
    public static final String JOB_ID = "jobId";
    public static final String TYPE = "type";
    public static final String ATTEMPT = "attempt";
    /** The Lambda request id of the invocation. */
    public static final String REQUEST_ID = "requestId";
    /** The SQS message id, where the invocation came from SQS. */
    public static final String MESSAGE_ID = "messageId";
    /** The event's eventId, in the consumers. */
    public static final String EVENT_ID = "eventId";

    private final Map<String, String> previous = new LinkedHashMap<>();

    private LogFields() {}

    /** Key, value, key, value...; a null value removes the key for the scope (and it is restored afterwards). */
    public static LogFields of(Object... keyValues) {
        LogFields fields = new LogFields();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            fields.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return fields;
    }

    /** Sets {@code key} until this scope closes. */
    public LogFields put(String key, Object value) {
        if (!previous.containsKey(key)) {
            previous.put(key, MDC.get(key));
        }
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, String.valueOf(value));
        }
        return this;
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
