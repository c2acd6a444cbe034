package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.Version;
import io.jobpipeline.cli.stack.DeadLetterQueue;
import io.jobpipeline.cli.stack.StackCommand;
import io.jobpipeline.cli.stack.StackTarget;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code pipeline dlq export QUEUE FILE}: every message of a dead-letter queue as JSON lines, leaving them in it. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Write every message of a dead-letter queue to FILE, one JSON object a line (queue, messageId, body, "
                + "attributes, messageAttributes), without consuming them: they stay in the queue.")
final class DlqExportCommand extends StackCommand {
    @Parameters(index = "0", paramLabel = "QUEUE", description = "The dead-letter queue, as dlq list names it.")
    String queue;

    @Parameters(index = "1", paramLabel = "FILE", description = "The file to write (replaced if it exists).")
    Path file;

    @Override
    protected int run(StackTarget target) {
        DeadLetterQueue dlq = DeadLetters.queue(target, queue);
        String url = target.queueUrl(dlq.name());
        long count = 0;
        try (QueueScan scan = new QueueScan(target.sqs(), url, Duration.ofMinutes(5));
             BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (List<Message> batch = scan.next(10); !batch.isEmpty(); batch = scan.next(10)) {
                for (Message m : batch) {
                    writer.write(MessageLine.write(dlq.name(), m));
                    writer.newLine();
                    count++;
                }
            }
        } catch (IOException e) {
            throw CliFailure.failed("cannot write " + file + ": " + e.getMessage());
        }
        out().println("Exported " + count + (count == 1 ? " message" : " messages") + " of " + dlq.name() + " to " + file
                + "; they stay in the queue.");
        return 0;
    }
}
