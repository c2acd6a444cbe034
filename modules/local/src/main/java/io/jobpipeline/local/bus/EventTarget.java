package io.jobpipeline.local.bus;

import java.util.Optional;

/**
 * Where a rule sends matched events. The local stack invokes a Lambda handler asynchronously through this.
 * Throwing from {@link #deliver} counts as a failed invocation: the bus retries with the rule's retry policy
 * and then dead-letters or drops the event.
 */
@FunctionalInterface
public interface EventTarget {

    /** Receives the EventBridge envelope as JSON (the same text for every retry of one event). */
    void deliver(String eventJson) throws Exception;

    /** The target's ARN, written as TARGET_ARN on dead-lettered messages; empty means a local placeholder. */
    default Optional<String> arn() {
        return Optional.empty();
    }

    /** Wraps {@code target} so that it reports {@code arn} (e.g. the Lambda function ARN it stands for). */
    static EventTarget withArn(String arn, EventTarget target) {
        if (arn == null || arn.isBlank()) {
            throw new IllegalArgumentException("arn must not be blank");
        }
        if (target == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        return new EventTarget() {
            @Override
            public void deliver(String eventJson) throws Exception {
                target.deliver(eventJson);
            }

            @Override
            public Optional<String> arn() {
                return Optional.of(arn);
            }

            @Override
            public String toString() {
                return "EventTarget[" + arn + "]";
            }
        };
    }
}
