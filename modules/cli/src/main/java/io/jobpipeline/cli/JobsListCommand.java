package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pipeline jobs list}: {@code GET /jobs} as a table, newest first; {@code --all} follows {@code nextCursor}. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "List your jobs, newest first: id, type, status, attempts, created.")
final class JobsListCommand extends ApiCommand {
    private static final List<String> HEADER = List.of("ID", "TYPE", "STATUS", "ATTEMPTS", "CREATED");
    /** --all stops after this many pages, so a runaway cursor cannot loop forever. */
    static final int MAX_PAGES = 10_000;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Jobs per page, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only jobs in this status: QUEUED, RUNNING, COMPLETED, FAILED or DEAD_LETTERED.")
    String status;

    @Option(names = "--all", description = "Read every page, not only the first.")
    boolean all;

    @Override
    int run(ApiClient api) {
        if (limit < 1 || limit > 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be from 1 to 100 (got " + limit + ")");
        }
        List<List<String>> rows = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            StringBuilder path = new StringBuilder("/jobs?limit=").append(limit);
            if (status != null) {
                path.append("&status=").append(ApiClient.segment(status));
            }
            if (cursor != null) {
                path.append("&cursor=").append(ApiClient.segment(cursor));
            }
            JsonNode page = api.get(path.toString()).orFail().json();
            for (JsonNode job : page.path("jobs")) {
                rows.add(List.of(job.path("jobId").asText(""), job.path("type").asText(""), job.path("status").asText(""),
                        job.path("attempts").asText(""), job.path("createdAt").asText("")));
            }
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            pages++;
        } while (all && cursor != null && pages < MAX_PAGES);
        if (rows.isEmpty()) {
            out().println(status == null ? "No jobs." : "No " + status + " jobs" + (cursor == null ? "." : " on this page."));
        } else {
            print(rows);
        }
        if (cursor != null) {
            out().println("More jobs: use --all to list them all.");
        }
        return 0;
    }

    private void print(List<List<String>> rows) {
        int[] widths = new int[HEADER.size()];
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.addAll(rows);
        for (List<String> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = line.get(i);
                // ATTEMPTS right-aligned, like the counts of pipeline stats; the rest left-aligned.
                text.append(i == 3 ? " ".repeat(widths[i] - cell.length()) + cell : i == widths.length - 1 ? cell : JobPrinter.pad(cell, widths[i]));
                if (i < widths.length - 1) {
                    text.append("  ");
                }
            }
            out().println(text);
        }
    }
}
