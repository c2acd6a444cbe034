package io.jobpipeline.local.chaos;

import io.jobpipeline.local.LocalPipeline;

/** How the soak replays the jobs dead-letter queue once the poison's cause is fixed. */
public interface JobsDeadLetterReplay {
    /** Replays every message of the queue (a template logical id); how many went back. */
    long replay(LocalPipeline stack, String queueLogicalId) throws Exception;

    /** How, for the report. */
    String label();

    /** SQS's own redrive: StartMessageMoveTask moves the messages back to their source queue. */
    static JobsDeadLetterReplay moveTask() {
        return new JobsDeadLetterReplay() {
            @Override
            public long replay(LocalPipeline stack, String queueLogicalId) throws Exception {
                return new DeadLetterRedrive(stack.clients().sqs(), null).moveBack(stack.resources().queueUrl(queueLogicalId),
                        java.time.Duration.ofSeconds(120));
            }

            @Override
            public String label() {
                return "SQS move task; CLI replay not merged yet";
            }
        };
    }
}
