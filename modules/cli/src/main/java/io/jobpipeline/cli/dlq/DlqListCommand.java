package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.TextTable;
import io.jobpipeline.cli.Version;
import io.jobpipeline.cli.stack.DeadLetterQueue;
import io.jobpipeline.cli.stack.StackCommand;
import io.jobpipeline.cli.stack.StackTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code pipeline dlq list}: every dead-letter queue of the stack, its depth and its oldest message's age. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"List the stack's dead-letter queues (the jobs DLQ and each consumer's): where their messages came from, "
                + "how many are visible and in flight, and how old the oldest is.",
                "The age is the oldest SentTimestamp among up to " + DlqListCommand.PEEK_LIMIT + " messages looked at "
                        + "(they stay in the queue)."})
final class DlqListCommand extends StackCommand {
    static final int PEEK_LIMIT = 1000;

    @Override
    protected int run(StackTarget target) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"QUEUE", "SOURCE", "VISIBLE", "IN FLIGHT", "OLDEST"});
        Instant now = Instant.now();
        for (DeadLetterQueue dlq : target.template().deadLetterQueues()) {
            String url = target.queueUrl(dlq.name());
            var attributes = target.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            long visible = Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
            String inFlight = attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
            rows.add(new String[] {dlq.name(), dlq.sourceText(), Long.toString(visible), inFlight,
                    visible == 0 ? "-" : oldest(target, url, now)});
        }
        TextTable.print(rows, Set.of(2, 3), out());
        return 0;
    }

    private String oldest(StackTarget target, String url, Instant now) {
        Instant oldest = null;
        int looked = 0;
        try (QueueScan scan = new QueueScan(target.sqs(), url, Duration.ofSeconds(30))) {
            for (List<Message> batch = scan.next(10); !batch.isEmpty() && looked < PEEK_LIMIT; batch = scan.next(10)) {
                for (Message m : batch) {
                    looked++;
                    String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
                    Instant at = sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent));
                    oldest = at != null && (oldest == null || at.isBefore(oldest)) ? at : oldest;
                }
            }
        }
        return (looked >= PEEK_LIMIT ? ">= " : "") + Ages.since(oldest, now);
    }
}
