package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline jobs submit TYPE FILE.json}: {@code POST /jobs}, then optionally wait for the outcome. */
@Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Submit a job: POST /jobs with the payload read from FILE (- reads standard input).",
        footerHeading = "%n",
        footer = "Prints the job id and its status. With --wait, exits 0 once the job COMPLETED, 1 if it was dead-lettered or is still going at --timeout.")
final class JobsSubmitCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "TYPE", description = "Job type, e.g. vehicle.register or inspection.submit.")
    String type;

    @Parameters(index = "1", paramLabel = "FILE", description = "JSON file with the job's payload.")
    String file;

    @Option(names = "--callback-url", paramLabel = "URL", description = "Webhook called when the job completes or is dead-lettered.")
    String callbackUrl;

    @Option(names = "--delay-seconds", paramLabel = "N", description = "Queue the job N seconds from now.")
    Integer delaySeconds;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Sent as Idempotency-Key: the same key and body return the same job instead of queueing another.")
    String idempotencyKey;

    @Option(names = "--wait", description = "Wait until the job is COMPLETED or DEAD_LETTERED and show it.")
    boolean waitForOutcome;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long --wait waits (default: ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    /** Poll interval of --wait; tests shorten it. */
    long pollMillis = 500;

    @Override
    int run(ApiClient api) {
        if (timeoutSeconds <= 0) {
            throw CliFailure.usage("--timeout must be a positive number of seconds");
        }
        JsonNode payload = PayloadFile.read(file, System.in);
        Map<String, String> headers = new LinkedHashMap<>();
        if (idempotencyKey != null) {
            headers.put("idempotency-key", idempotencyKey);
        }
        String body = Json.write(new SubmitRequest(type, payload, callbackUrl, delaySeconds));
        JsonNode accepted = api.postJson("/jobs", body, headers).orFail().json();
        String jobId = accepted.path("jobId").asText("");
        if (jobId.isEmpty()) {
            throw CliFailure.failed("the API accepted the job but answered no jobId: " + accepted);
        }
        out().println(jobId + " " + accepted.path("status").asText("QUEUED"));
        if (!waitForOutcome) {
            return 0;
        }
        out().flush();
        return new JobWaiter(api, pollMillis).await(jobId, timeoutSeconds, out());
    }
}
