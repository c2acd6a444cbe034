package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** The body of {@code POST /jobs}; absent optional fields are left out of the JSON. */
record SubmitRequest(String type, JsonNode payload, String callbackUrl, Integer delaySeconds) {}
