package io.jobpipeline.intake;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.contract.ContractViolation;
import io.jobpipeline.core.contract.JobContracts;
import io.jobpipeline.core.contract.Violation;
import io.jobpipeline.core.intake.IdempotentIntake;
import io.jobpipeline.core.intake.JobIntake;
import io.jobpipeline.core.intake.KeyedOutcome;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.port.JobMetrics;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code POST /jobs}: one job, with or without an {@code Idempotency-Key}. */
final class SubmitRoute {
    /** The function's timeout in the template: how long an invocation without a Lambda context may hold a key. */
    static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private final JobContracts contracts;
    private final JobIntake intake;
    private final IdempotentIntake keyed;

    SubmitRoute(JobContracts contracts, JobIntake intake, IdempotentIntake keyed) {
        this.contracts = contracts;
        this.intake = intake;
        this.keyed = keyed;
    }

    APIGatewayV2HTTPResponse submit(APIGatewayV2HTTPEvent event, String producer, Context context, JobMetrics metrics)
            throws StoreUnavailable {
        RequestBody.Parsed parsed = RequestBody.parse(event);
        if (parsed instanceof RequestBody.Rejected rejected) {
            return HttpResponses.problem(rejected.problem());
        }
        JsonNode body = ((RequestBody.Ok) parsed).json();
        Optional<IdempotencyKey> key;
        try {
            key = IdempotencyKey.of(event.getHeaders());
        } catch (IllegalArgumentException e) {
            return HttpResponses.problem(JobProblems.keyMalformed(e.getMessage()));
        }
        List<Violation> unqueueable = JsonScreen.screen(body, "");
        if (!unqueueable.isEmpty()) {
            return HttpResponses.problem(JobProblems.unqueueable(unqueueable));
        }
        JobRequest request;
        try {
            request = contracts.validate(body);
        } catch (ContractViolation v) {
            return HttpResponses.problem(JobProblems.invalidJob(v, ""));
        }
        if (key.isEmpty()) {
            Job job = intake.accept(request, producer);
            AcceptedJobLog.accepted(job.id().value(), job.type(), producer, metrics);
            return HttpResponses.accepted(job.id(), false);
        }
        String value = key.get().value();
        return switch (keyed.accept(request, producer, value, IdempotencyKey.bodyHash(body), lease(context))) {
            case KeyedOutcome.Accepted accepted -> {
                if (!accepted.replayed()) {
                    AcceptedJobLog.accepted(accepted.jobId().value(), request.type(), producer, metrics);
                }
                yield HttpResponses.accepted(accepted.jobId(), accepted.replayed());
            }
            case KeyedOutcome.KeyReused reused -> HttpResponses.problem(JobProblems.keyReused(value));
            case KeyedOutcome.InProgress busy -> HttpResponses.problem(JobProblems.keyInProgress(value),
                    Map.of("retry-after", JobProblems.RETRY_AFTER_SECONDS));
        };
    }

    /** Until this invocation's deadline: after it, Lambda has ended the invocation and another may take the key over. */
    private static Duration lease(Context context) {
        return context == null ? DEFAULT_LEASE : Duration.ofMillis(Math.max(0, context.getRemainingTimeInMillis()));
    }
}
