package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline jobs show ID}: {@code GET /jobs/{id}} as a readable block, or the raw JSON. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Show a job's whole journey: status, attempts, timestamps, result or last error, its timeline "
                + "(accepted, each attempt and its error, dead-lettered, replayed, completed), the events it published "
                + "and the consumers that applied them.")
final class JobsShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job id that jobs submit printed.")
    String id;

    @Option(names = "--json", description = "Print the API's JSON as it came.")
    boolean json;

    @Override
    int run(ApiClient api) {
        ApiResponse response = api.get("/jobs/" + ApiClient.segment(id)).orFail();
        if (json) {
            out().println(response.body().strip());
            return 0;
        }
        JsonNode job = response.json();
        JobPrinter.print(job, out());
        return 0;
    }
}
