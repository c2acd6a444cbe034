package io.jobpipeline.core.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.port.JobMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job metrics as CloudWatch embedded metric format: one invocation's counts, gathered and written by {@link #flush()}
 * as one JSON line per job type (namespace {@value #NAMESPACE}, dimension {@value #DIMENSION}); CloudWatch turns the
 * lines into metrics without an API call. Written by hand after the EMF specification, as AWS's EMF library would add
 * commons-lang3 and javatuples (about 0.85 MB) to every deployment jar. One instance per invocation; thread-safe, as
 * the worker runs a batch's records concurrently.
 */
public final class EmfJobMetrics implements JobMetrics {
    public static final String NAMESPACE = "JobPipeline";
    public static final String DIMENSION = "JobType";
    public static final String ACCEPTED = "JobsAccepted";
    public static final String COMPLETED = "JobsCompleted";
    public static final String FAILED = "JobsFailed";
    public static final String DEAD_LETTERED = "JobsDeadLettered";
    public static final String PROCESSING = "ProcessingDuration";
    /** EMF takes at most 100 values per metric in one document. */
    static final int MAX_VALUES = 100;
    private static final Logger EMF = LoggerFactory.getLogger("io.jobpipeline.metrics");

    private final Clock clock;
    private final Consumer<String> out;
    private final Map<String, Counts> byType = new TreeMap<>();

    /**
     * Lines go to the {@code io.jobpipeline.metrics} logger, which both logging backends (the Lambda jars' JSON-line
     * one, log4j2.xml locally) print raw: the whole line is the EMF object.
     */
    public EmfJobMetrics(Clock clock) {
        this(clock, EMF::info);
    }

    public EmfJobMetrics(Clock clock, Consumer<String> out) {
        this.clock = clock;
        this.out = out;
    }

    @Override
    public synchronized void accepted(String jobType) {
        counts(jobType).accepted++;
    }

    @Override
    public synchronized void completed(String jobType, long processingMs) {
        Counts c = counts(jobType);
        c.completed++;
        c.processingMs.add(Math.max(0, processingMs));
    }

    @Override
    public synchronized void failed(String jobType) {
        counts(jobType).failed++;
    }

    @Override
    public synchronized void deadLettered(String jobType) {
        counts(jobType).deadLettered++;
    }

    /** Writes what was counted since the last flush, one line per job type (more if over 100 durations), and forgets it. */
    public void flush() {
        List<String> lines = new ArrayList<>();
        synchronized (this) {
            long now = clock.millis();
            byType.forEach((type, counts) -> lines.addAll(documents(now, type, counts)));
            byType.clear();
        }
        lines.forEach(out);
    }

    private Counts counts(String jobType) {
        return byType.computeIfAbsent(jobType == null ? "unknown" : jobType, t -> new Counts());
    }

    private static List<String> documents(long timestamp, String type, Counts counts) {
        List<String> lines = new ArrayList<>();
        List<Long> durations = counts.processingMs;
        int chunks = Math.max(1, (durations.size() + MAX_VALUES - 1) / MAX_VALUES);
        for (int chunk = 0; chunk < chunks; chunk++) {
            Map<String, Object> values = new LinkedHashMap<>();
            if (chunk == 0) {
                putCount(values, ACCEPTED, counts.accepted);
                putCount(values, COMPLETED, counts.completed);
                putCount(values, FAILED, counts.failed);
                putCount(values, DEAD_LETTERED, counts.deadLettered);
            }
            List<Long> part = durations.subList(chunk * MAX_VALUES, Math.min(durations.size(), (chunk + 1) * MAX_VALUES));
            if (!part.isEmpty()) {
                values.put(PROCESSING, part);
            }
            if (!values.isEmpty()) {
                lines.add(document(timestamp, type, values));
            }
        }
        return lines;
    }

    private static void putCount(Map<String, Object> values, String name, long count) {
        if (count > 0) {
            values.put(name, count);
        }
    }

    private static String document(long timestamp, String type, Map<String, Object> values) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestamp);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add(DIMENSION);
        ArrayNode metrics = directive.putArray("Metrics");
        values.keySet().forEach(name -> metrics.addObject().put("Name", name)
                .put("Unit", name.equals(PROCESSING) ? "Milliseconds" : "Count"));
        root.put(DIMENSION, type);
        values.forEach((name, value) -> root.set(name, Json.MAPPER.valueToTree(value)));
        return Json.write(root);
    }

    private static final class Counts {
        long accepted;
        long completed;
        long failed;
        long deadLettered;
        final List<Long> processingMs = new ArrayList<>();
    }
}
