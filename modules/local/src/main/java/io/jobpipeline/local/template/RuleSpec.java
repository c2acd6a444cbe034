package io.jobpipeline.local.template;

import java.util.Optional;

/**
 * An EventBridgeRule event. name is the rule's logical id as SAM makes it, {@code <FunctionLogicalId><EventName>};
 * busLogicalId is the bus's logical id, or "default" for the account's default bus.
 */
public record RuleSpec(String name, String busLogicalId, String patternJson, String targetFunctionLogicalId,
                       int maximumRetryAttempts, int maximumEventAgeSeconds,
                       Optional<String> deadLetterQueueLogicalId) {
}
