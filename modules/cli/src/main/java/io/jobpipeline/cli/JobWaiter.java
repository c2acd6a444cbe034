package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Set;

/** {@code jobs submit --wait}: polls {@code GET /jobs/{id}} until the job is COMPLETED or DEAD_LETTERED. */
final class JobWaiter {
    private static final Set<String> FINAL = Set.of("COMPLETED", "DEAD_LETTERED");

    private final ApiClient api;
    private final long pollMillis;

    JobWaiter(ApiClient api, long pollMillis) {
        this.api = api;
        this.pollMillis = pollMillis;
    }

    /** Prints the job once it is final: 0 when COMPLETED, 1 when dead-lettered or still going at the deadline. */
    int await(String jobId, int timeoutSeconds, PrintWriter out) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String path = "/jobs/" + ApiClient.segment(jobId);
        while (true) {
            JsonNode job = api.get(path).orFail().json();
            String status = job.path("status").asText("");
            if (FINAL.contains(status)) {
                out.println();
                JobPrinter.print(job, out);
                if ("COMPLETED".equals(status)) {
                    return 0;
                }
                throw CliFailure.failed("job " + jobId + " was dead-lettered" + lastError(job));
            }
            if (System.nanoTime() + pollMillis * 1_000_000L > deadline) {
                throw CliFailure.failed("job " + jobId + " is still " + status + " after " + timeoutSeconds
                        + " s; see ./pipeline jobs show " + jobId);
            }
            sleep();
        }
    }

    private static String lastError(JsonNode job) {
        String error = job.path("lastError").asText("");
        return error.isEmpty() ? "" : ": " + error;
    }

    private void sleep() {
        try {
            Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.failed("interrupted");
        }
    }
}
