package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code GET /stats} as a table: one row per job type, counts right-aligned, then the latency percentiles (acceptance to
 * completion) where completions were measured.
 */
record StatsTable(String from, String to, List<Row> rows) {
    record Row(String jobType, long accepted, long completed, long failed, long deadLettered, Long p50, Long p95, Long p99) {
        List<String> cells() {
            return List.of(jobType, Long.toString(accepted), Long.toString(completed), Long.toString(failed),
                    Long.toString(deadLettered), ms(p50), ms(p95), ms(p99));
        }

        private static String ms(Long value) {
            return value == null ? "-" : value + " ms";
        }
    }

    private static final List<String> HEADER = List.of("JOB TYPE", "ACCEPTED", "COMPLETED", "FAILED", "DEAD-LETTERED",
            "P50", "P95", "P99");
    /** Every column but the job type is a number, aligned right. */
    private static final Set<Integer> COUNTS = IntStream.range(1, HEADER.size()).boxed().collect(Collectors.toUnmodifiableSet());

    static StatsTable of(JsonNode stats) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> type : stats.path("jobTypes").properties()) {
            JsonNode c = type.getValue();
            JsonNode latency = c.path("latencyMs");
            rows.add(new Row(type.getKey(), c.path("accepted").asLong(0), c.path("completed").asLong(0),
                    c.path("failed").asLong(0), c.path("deadLettered").asLong(0),
                    millis(latency, "p50"), millis(latency, "p95"), millis(latency, "p99")));
        }
        return new StatsTable(stats.path("from").asText(""), stats.path("to").asText(""), rows);
    }

    private static Long millis(JsonNode latency, String field) {
        JsonNode value = latency.path(field);
        return value.isNumber() ? value.asLong() : null;
    }

    void print(PrintWriter out) {
        String window = from.isEmpty() ? "" : " from " + from + " to " + to + " (UTC)";
        if (rows.isEmpty()) {
            out.println("No jobs counted" + window + ".");
            return;
        }
        out.println("Jobs counted" + window + ":");
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER.toArray(String[]::new));
        rows.forEach(r -> lines.add(r.cells().toArray(String[]::new)));
        TextTable.print(lines, COUNTS, out);
    }
}
