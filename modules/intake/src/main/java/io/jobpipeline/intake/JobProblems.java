package io.jobpipeline.intake;

import io.jobpipeline.core.contract.ContractViolation;
import io.jobpipeline.core.contract.Violation;
import java.util.List;

/** The problems the job routes answer with, worded once. */
final class JobProblems {
    static final String RETRY_AFTER_SECONDS = "1";
    static final int MAX_ERRORS = 100;
    /** 100 jobs of a batch with this much each stay within Lambda's 6 MB response. */
    static final int MAX_ERROR_CHARS = 32 * 1024;

    private JobProblems() {}

    /** A job breaking the contracts; {@code at} prefixes every pointer (a batch entry's {@code /jobs/3}). */
    static Problem invalidJob(ContractViolation v, String at) {
        List<Violation> errors = v.violations().stream().map(e -> new Violation(at + e.pointer(), e.message())).toList();
        String detail = v.getMessage();
        if (errors.stream().anyMatch(e -> e.pointer().equals(at + "/delaySeconds"))) {
            detail += "; delaySeconds must be a whole number from 0 to 900: SQS DelaySeconds allows at most 900 seconds (15 minutes)";
        }
        return invalid(detail, errors);
    }

    /**
     * At most {@link #MAX_ERRORS} violations and {@link #MAX_ERROR_CHARS} characters of them: 130 000 wrong array items
     * would otherwise make an answer over Lambda's 6 MB response limit, and API Gateway would turn it into a bare 500.
     */
    private static Problem invalid(String detail, List<Violation> errors) {
        int kept = 0;
        int chars = 0;
        while (kept < errors.size() && kept < MAX_ERRORS) {
            chars += errors.get(kept).pointer().length() + errors.get(kept).message().length();
            if (kept > 0 && chars > MAX_ERROR_CHARS) {
                break;
            }
            kept++;
        }
        String listed = kept == errors.size() ? "" : " (the first " + kept + " of " + errors.size() + " violations are listed)";
        return Problem.invalid(422, "invalid-job", "Invalid Job", detail + listed, errors.subList(0, kept));
    }

    static Problem unqueueable(List<Violation> errors) {
        return invalid("the job holds values that cannot be queued as they are: " + errors.get(0).message(), errors);
    }

    static Problem unavailable(String what) {
        return Problem.of(503, "unavailable", "Service Unavailable",
                what + "; nothing was queued, try again");
    }

    static Problem keyMalformed(String detail) {
        return Problem.of(400, "invalid-idempotency-key", "Invalid Idempotency-Key", detail);
    }

    static Problem keyUnsupported() {
        return Problem.of(400, "idempotency-key-unsupported", "Idempotency-Key Unsupported",
                "Idempotency-Key is supported on POST /jobs only; send the jobs one by one with a key each, "
                        + "or send the batch without one");
    }

    static Problem keyReused(String key) {
        return Problem.of(409, "idempotency-key-reused", "Idempotency-Key Reused",
                "Idempotency-Key '" + key + "' was sent with a different body within the last 24 hours; "
                        + "a key stands for one request body, so send a new key for a new job");
    }

    static Problem keyInProgress(String key) {
        return Problem.of(409, "idempotency-key-in-progress", "Idempotency-Key In Progress",
                "a request with Idempotency-Key '" + key + "' is still being processed; retry to get its answer");
    }
}
