package io.jobpipeline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pipeline stats}: what the analytics consumer counted ({@code GET /stats}), as a table per job type. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Show what the analytics consumer has counted per job type in the last hour: accepted, completed, failed, "
                + "dead-lettered, and the p50/p95/p99 latency from acceptance to completion.")
final class StatsCommand extends ApiCommand {
    @Option(names = "--json", description = "Print the API's JSON as it came.")
    boolean json;

    @Override
    int run(ApiClient api) {
        ApiResponse response = api.get("/stats").orFail();
        if (json) {
            out().println(response.body().strip());
        } else {
            StatsTable.of(response.json()).print(out());
        }
        return 0;
    }
}
