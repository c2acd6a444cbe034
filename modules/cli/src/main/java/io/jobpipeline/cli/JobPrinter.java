package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A job of {@code GET /jobs/{id}} as a block of {@code Label  value} lines, then its timeline one entry a line (any
 * entry, whatever its event), then its events: each with the consumers that applied it and its webhook attempts.
 */
public final class JobPrinter {
    private static final int LABEL_WIDTH = "Last error".length();

    private JobPrinter() {}

    static void print(JsonNode job, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        row(rows, "Job", text(job, "jobId"));
        row(rows, "Type", text(job, "type"));
        row(rows, "Status", text(job, "status"));
        row(rows, "Attempts", text(job, "attempts"));
        row(rows, "Created", text(job, "createdAt"));
        row(rows, "Updated", text(job, "updatedAt"));
        row(rows, "Completed", text(job, "completedAt"));
        row(rows, "Callback", text(job, "callbackUrl"));
        JsonNode result = job.get("result");
        if (result != null && !result.isNull()) {
            row(rows, "Result", result.isValueNode() ? result.asText() : result.toString());
        }
        row(rows, "Last error", text(job, "lastError"));
        for (String[] r : rows) {
            out.println(pad(r[0], LABEL_WIDTH) + "  " + r[1]);
        }
        printTimeline(job.path("timeline"), out);
        printEvents(job.path("events"), out);
    }

    private static void printEvents(JsonNode events, PrintWriter out) {
        if (!events.isArray() || events.isEmpty()) {
            return;
        }
        out.println();
        out.println("Events");
        int atWidth = 0;
        int typeWidth = 0;
        for (JsonNode e : events) {
            atWidth = Math.max(atWidth, e.path("at").asText("").length());
            typeWidth = Math.max(typeWidth, e.path("detailType").asText("").length());
        }
        for (JsonNode e : events) {
            List<String> consumers = new ArrayList<>();
            e.path("consumers").forEach(c -> consumers.add(c.path("consumer").asText()));
            out.println(("  " + pad(e.path("at").asText(""), atWidth) + "  " + pad(e.path("detailType").asText(""), typeWidth)
                    + "  " + e.path("eventId").asText("") + "  "
                    + (consumers.isEmpty() ? "not applied by any consumer yet" : "applied by " + String.join(", ", consumers)))
                    .stripTrailing());
            for (JsonNode d : e.path("deliveries")) {
                StringBuilder line = new StringBuilder("  ").append(" ".repeat(atWidth + 2))
                        .append("webhook try ").append(d.path("attempt").asText()).append("  ").append(d.path("outcome").asText());
                if (d.hasNonNull("at")) {
                    line.append("  ").append(d.get("at").asText());
                }
                if (d.hasNonNull("detail")) {
                    line.append("  ").append(d.get("detail").asText());
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    private static void printTimeline(JsonNode timeline, PrintWriter out) {
        if (!timeline.isArray() || timeline.isEmpty()) {
            return;
        }
        out.println();
        out.println("Timeline");
        int atWidth = 0;
        int eventWidth = 0;
        for (JsonNode e : timeline) {
            atWidth = Math.max(atWidth, e.path("at").asText("").length());
            eventWidth = Math.max(eventWidth, e.path("event").asText("").length());
        }
        for (JsonNode e : timeline) {
            StringBuilder line = new StringBuilder("  ").append(pad(e.path("at").asText(""), atWidth))
                    .append("  ").append(pad(e.path("event").asText(""), eventWidth));
            if (e.hasNonNull("attempt")) {
                line.append("  attempt ").append(e.get("attempt").asText());
            }
            if (e.hasNonNull("detail")) {
                line.append("  ").append(e.get("detail").asText());
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static void row(List<String[]> rows, String label, String value) {
        if (value != null && !value.isEmpty()) {
            rows.add(new String[] {label, value});
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    public static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
