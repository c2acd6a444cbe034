package io.jobpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobStatus;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** API Gateway v2 responses: JSON bodies, problem+json errors. */
final class HttpResponses {
    private HttpResponses() {}

    static APIGatewayV2HTTPResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    static APIGatewayV2HTTPResponse json(int status, Object body, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", "application/json");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(all).withBody(Json.write(body)).build();
    }

    /** 202 for a stored and queued job; {@code replayed}: the answer to an earlier request with the same Idempotency-Key. */
    static APIGatewayV2HTTPResponse accepted(JobId id, boolean replayed) {
        String statusUrl = "/jobs/" + id.value();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobId", id.value());
        body.put("status", JobStatus.QUEUED.name());
        body.put("statusUrl", statusUrl);
        Map<String, String> headers = new HashMap<>();
        headers.put("location", statusUrl);
        if (replayed) {
            headers.put("idempotent-replayed", "true");
        }
        return json(202, body, headers);
    }

    static APIGatewayV2HTTPResponse problem(Problem problem) {
        return problem(problem, Map.of());
    }

    static APIGatewayV2HTTPResponse problem(Problem problem, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", "application/problem+json");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(problem.status()).withHeaders(all).withBody(Json.write(problem)).build();
    }
}
