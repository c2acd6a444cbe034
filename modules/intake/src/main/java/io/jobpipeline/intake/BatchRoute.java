package io.jobpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.contract.ContractViolation;
import io.jobpipeline.core.contract.JobContracts;
import io.jobpipeline.core.contract.Violation;
import io.jobpipeline.core.intake.Admission;
import io.jobpipeline.core.port.JobMetrics;
import io.jobpipeline.core.intake.BatchIntake;
import io.jobpipeline.core.job.JobRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /jobs/batch} with {@code {"jobs": [...]}}: each job validated alone and answered alone, in order, with
 * the status it would have had on {@code POST /jobs}; a problem's pointers point into the batch ({@code /jobs/3/...}).
 */
final class BatchRoute {
    static final int MAX_JOBS = 100;
    /** Lambda takes at most 6 MB per synchronous invocation; this leaves room for the event around the body. */
    static final int MAX_BYTES = 5 * 1024 * 1024;

    private final JobContracts contracts;
    private final BatchIntake intake;

    BatchRoute(JobContracts contracts, BatchIntake intake) {
        this.contracts = contracts;
        this.intake = intake;
    }

    APIGatewayV2HTTPResponse submit(APIGatewayV2HTTPEvent event, String producer, JobMetrics metrics) {
        RequestBody.Parsed parsed = RequestBody.parse(event, MAX_BYTES, "a batch may be at most 5242880 bytes (5 MiB), "
                + "within Lambda's 6 MB request limit; send fewer jobs per batch");
        if (parsed instanceof RequestBody.Rejected rejected) {
            return HttpResponses.problem(rejected.problem());
        }
        if (RequestBody.header(event.getHeaders(), IdempotencyKey.HEADER) != null) {
            // Ignoring the key would let the producer believe a retried batch is safe; it is not, so say so.
            return HttpResponses.problem(JobProblems.keyUnsupported());
        }
        JsonNode body = ((RequestBody.Ok) parsed).json();
        Optional<Problem> shape = shapeProblem(body);
        if (shape.isPresent()) {
            return HttpResponses.problem(shape.get());
        }
        JsonNode jobs = body.get("jobs");
        BatchResult[] results = new BatchResult[jobs.size()];
        List<JobRequest> valid = new ArrayList<>();
        List<Integer> validAt = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            String at = "/jobs/" + i;
            JsonNode entry = jobs.get(i);
            int size = Json.write(entry).getBytes(StandardCharsets.UTF_8).length;
            if (size > RequestBody.MAX_BYTES) {
                results[i] = BatchResult.rejected(i, Problem.of(413, "payload-too-large", "Payload Too Large",
                        at + " is " + size + " bytes; a job may be at most 262144 bytes (256 KiB), the SQS message size limit"));
                continue;
            }
            List<Violation> unqueueable = JsonScreen.screen(entry, at);
            if (!unqueueable.isEmpty()) {
                results[i] = BatchResult.rejected(i, JobProblems.unqueueable(unqueueable));
                continue;
            }
            try {
                valid.add(contracts.validate(entry));
                validAt.add(i);
            } catch (ContractViolation v) {
                results[i] = BatchResult.rejected(i, JobProblems.invalidJob(v, at));
            }
        }
        List<Admission> admissions = valid.isEmpty() ? List.of() : intake.accept(valid, producer);
        for (int k = 0; k < admissions.size(); k++) {
            int i = validAt.get(k);
            results[i] = switch (admissions.get(k)) {
                case Admission.Admitted admitted -> {
                    AcceptedJobLog.accepted(admitted.job().id().value(), admitted.job().type(), producer, metrics);
                    yield BatchResult.accepted(i, admitted.job().id().value());
                }
                case Admission.NotQueued failed -> BatchResult.rejected(i, failed.transientFault()
                        ? JobProblems.unavailable("job " + i + " could not be queued (" + failed.reason() + ")")
                        : Problem.of(500, "not-queued", "Not Queued", "job " + i + " was refused: " + failed.reason()
                                + "; nothing was queued for it"));
            };
        }
        return HttpResponses.json(200, Map.of("results", Arrays.asList(results)));
    }

    private static Optional<Problem> shapeProblem(JsonNode body) {
        List<Violation> errors = new ArrayList<>();
        JsonNode jobs = body.get("jobs");
        if (jobs == null) {
            errors.add(new Violation("", "required property 'jobs' not found"));
        } else if (!jobs.isArray()) {
            errors.add(new Violation("/jobs", "must be an array of jobs"));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("jobs")) {
                errors.add(new Violation("/" + name, "property '" + name + "' is not defined; the body is {\"jobs\": [...]}"));
            }
        }
        if (!errors.isEmpty()) {
            return Optional.of(invalidBatch("the body must be {\"jobs\": [ ... ]} with 1 to " + MAX_JOBS + " jobs", errors));
        }
        if (jobs.isEmpty()) {
            return Optional.of(invalidBatch("the batch is empty; send 1 to " + MAX_JOBS + " jobs",
                    List.of(new Violation("/jobs", "must have at least 1 item"))));
        }
        if (jobs.size() > MAX_JOBS) {
            return Optional.of(invalidBatch("the batch has " + jobs.size() + " jobs; at most " + MAX_JOBS
                    + " are accepted per request, split it", List.of(new Violation("/jobs", "must have at most " + MAX_JOBS + " items"))));
        }
        return Optional.empty();
    }

    private static Problem invalidBatch(String detail, List<Violation> errors) {
        return Problem.invalid(422, "invalid-batch", "Invalid Batch", detail, errors);
    }
}
