package io.jobpipeline.aws.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes each event as one JSON object per line with the fields of JobLogLayout.json (timestamp, level, logger,
 * message, errorType, errorMessage, stackTrace, then the MDC's keys as top-level string fields, in name order), or,
 * for the EMF metrics logger, the message alone: CloudWatch reads a metric only when the whole line is the EMF object.
 */
final class JsonLineLogger extends LegacyAbstractLogger {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final transient Level threshold;
    private final boolean raw;
    private final transient JsonLineSink sink;
    private final transient ThreadMdc mdc;

    JsonLineLogger(String name, Level threshold, boolean raw, JsonLineSink sink, ThreadMdc mdc) {
        this.name = name;
        this.threshold = threshold;
        this.raw = raw;
        this.sink = sink;
        this.mdc = mdc;
    }

    private boolean enabled(Level level) {
        return threshold != null && level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        String line = raw ? message + "\n" : json(Instant.now(), level, message, thrown, mdc.sorted());
        sink.write(line.getBytes(StandardCharsets.UTF_8), level);
    }

    String json(Instant at, Level level, String message, Throwable thrown, Map<String, String> fields) {
        StringBuilder out = new StringBuilder(256).append('{');
        field(out, "timestamp", TIMESTAMP.format(at));
        field(out.append(','), "level", level.name());
        field(out.append(','), "logger", name);
        field(out.append(','), "message", message);
        if (thrown != null) {
            field(out.append(','), "errorType", thrown.getClass().getName());
            if (thrown.getMessage() != null) {
                field(out.append(','), "errorMessage", thrown.getMessage());
            }
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            field(out.append(','), "stackTrace", trace.toString());
        }
        fields.forEach((key, value) -> field(out.append(','), key, value));
        return out.append("}\n").toString();
    }

    private static void field(StringBuilder out, String key, String value) {
        quote(out, key).append(':');
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
