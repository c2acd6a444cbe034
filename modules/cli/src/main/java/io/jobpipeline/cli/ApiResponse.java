package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;

/** One answer of the API: status, content type and body as received. */
record ApiResponse(int status, String contentType, String body) {
    static final String UNAUTHORIZED = "401 Unauthorized: get a token with ./pipeline token --producer NAME and pass "
            + "--token or set PIPELINE_TOKEN";

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as JSON, or a failure saying the API answered something else. */
    JsonNode json() {
        try {
            return Json.tree(body);
        } catch (IllegalArgumentException e) {
            throw CliFailure.failed("the API answered " + status + " with a body that is not JSON");
        }
    }

    /** This answer if it is a success; otherwise the failure that describes it (problem+json when it is one). */
    ApiResponse orFail() {
        if (ok()) {
            return this;
        }
        if (status == 401) {
            throw CliFailure.failed(UNAUTHORIZED);
        }
        throw new CliFailure(CliFailure.FAILED, ApiProblem.of(this).lines());
    }
}
