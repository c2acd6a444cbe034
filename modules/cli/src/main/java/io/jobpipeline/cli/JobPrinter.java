package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A job of {@code GET /jobs/{id}} as a block of {@code Label  value} lines, then its timeline one entry a line. */
final class JobPrinter {
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

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
