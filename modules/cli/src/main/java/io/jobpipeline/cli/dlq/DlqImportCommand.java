package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.Version;
import io.jobpipeline.cli.stack.StackCommand;
import io.jobpipeline.cli.stack.StackTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code pipeline dlq import FILE --to QUEUE}: sends the messages of an export (body and message attributes) to a queue. */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "Send every message of FILE (as dlq export wrote it) to QUEUE: body and message attributes as they were. "
                + "The whole file is read and checked before the first send.")
final class DlqImportCommand extends StackCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "A file dlq export wrote.")
    Path file;

    @Option(names = "--to", required = true, paramLabel = "QUEUE", description = "The queue to send to (of the stack, a name or a URL).")
    String to;

    @Override
    protected int run(StackTarget target) {
        List<Message> messages = read();
        QueueDestination destination = new QueueDestination(target.sqs(), to, target.anyQueueUrl(to), false);
        long failed = 0;
        for (int from = 0; from < messages.size(); from += 10) {
            Map<String, String> notSent = destination.send(messages.subList(from, Math.min(messages.size(), from + 10)));
            notSent.forEach((id, why) -> err().println("not sent: message " + id + ": " + why));
            failed += notSent.size();
        }
        out().println("Imported " + (messages.size() - failed) + " of " + messages.size() + " messages from " + file + " to " + to + ".");
        return failed == 0 ? 0 : 1;
    }

    private List<Message> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CliFailure.usage("no file " + file + "; dlq export QUEUE FILE writes one");
        } catch (IOException e) {
            throw CliFailure.failed("cannot read " + file + ": " + e.getMessage());
        }
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                Message m = MessageLine.read(lines.get(i));
                messages.add(m.toBuilder().messageId(m.messageId() + "@" + (i + 1)).build());
            } catch (RuntimeException e) {
                throw CliFailure.usage(file + " line " + (i + 1) + " is not a message of dlq export: " + e.getMessage());
            }
        }
        return messages;
    }
}
