package io.jobpipeline.core.job;

import com.fasterxml.jackson.databind.JsonNode;

/** What a producer asks for; valid only once {@link io.jobpipeline.core.contract.JobContracts} said so. */
public record JobRequest(String type, JsonNode payload, String callbackUrl, Integer delaySeconds) {
    public int delay() {
        return delaySeconds == null ? 0 : delaySeconds;
    }
}
