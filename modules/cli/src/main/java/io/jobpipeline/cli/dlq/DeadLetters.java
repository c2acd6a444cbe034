package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.stack.DeadLetterQueue;
import io.jobpipeline.cli.stack.StackTarget;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.model.Message;

/** The commands' common ground: a dead-letter queue of the stack by name, and its messages explained. */
final class DeadLetters {
    private DeadLetters() {}

    /** The template's dead-letter queue {@code name}; a bad usage naming the choices otherwise. */
    static DeadLetterQueue queue(StackTarget target, String name) {
        return target.template().deadLetterQueue(name).orElseThrow(() -> CliFailure.usage(
                (target.template().hasQueue(name) ? name + " is no dead-letter queue" : "no queue " + name)
                        + " in stack " + target.stackName() + "; dlq list shows the queues"));
    }

    static List<DeadMessage> explain(StackTarget target, DeadLetterQueue dlq, List<Message> messages) {
        if (dlq.fromBus()) {
            return messages.stream().map(DeadMessage::ofEvent).toList();
        }
        List<String> ids = messages.stream().map(m -> DeadMessage.ofJob(m, null).jobId()).filter(Objects::nonNull).toList();
        Map<String, JobRecord> records = new JobRecords(target.dynamoDb(), target.tableName()).find(ids);
        return messages.stream().map(m -> {
            String id = DeadMessage.ofJob(m, null).jobId();
            return DeadMessage.ofJob(m, id == null ? null : records.get(id));
        }).toList();
    }
}
