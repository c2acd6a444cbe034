package io.jobpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobpipeline.core.Json;
import java.util.HashMap;
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

    static APIGatewayV2HTTPResponse problem(Problem problem) {
        return problem(problem, Map.of());
    }

    static APIGatewayV2HTTPResponse problem(Problem problem, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("content-type", "application/problem+json");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(problem.status()).withHeaders(all).withBody(Json.write(problem)).build();
    }
}
