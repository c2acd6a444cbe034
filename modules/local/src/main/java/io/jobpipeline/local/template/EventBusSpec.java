package io.jobpipeline.local.template;

/** An {@code AWS::Events::EventBus}; the name is resolved at load time (parameters and the given AWS::StackName). */
public record EventBusSpec(String logicalId, String name) {
}
