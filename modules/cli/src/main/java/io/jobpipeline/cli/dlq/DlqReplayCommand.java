package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.Durations;
import io.jobpipeline.cli.Version;
import io.jobpipeline.cli.stack.DeadLetterQueue;
import io.jobpipeline.cli.stack.StackCommand;
import io.jobpipeline.cli.stack.StackTarget;
import io.jobpipeline.core.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code pipeline dlq replay QUEUE}: moves dead messages back to their source (or elsewhere), safely, and audits it. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Move the messages of a dead-letter queue back to where they came from: the jobs DLQ's to JobsQueue "
                + "(each job gets its whole attempt budget again and a REPLAYED entry in its timeline), a consumer DLQ's "
                + "events onto the bus again (consumers drop what they applied, by detail.eventId; a known job's timeline "
                + "gets REPLAYED too); or --to any queue.",
                "A message leaves the DLQ only after its send succeeded: a replay that dies can duplicate a message "
                        + "(harmless), never lose one. Messages it passes over stay in the DLQ.",
                "Without filters, --max or --to, SQS's own redrive (StartMessageMoveTask) moves a whole jobs DLQ where the "
                        + "endpoint has it. Every replay, dry runs too, is recorded: dlq history."},
        footerHeading = "%n",
        footer = {"Durations: 30s, 15m, 2h, 3d. Age: the time since the message's last failure.",
                "Example: ./pipeline dlq replay JobsDeadLetterQueue --type inspection.submit --older-than 15m --dry-run"})
final class DlqReplayCommand extends StackCommand {
    @Parameters(index = "0", paramLabel = "QUEUE", description = "The dead-letter queue, as dlq list names it.")
    String queue;

    @Option(names = "--to", paramLabel = "QUEUE", order = 1, description = "Send to this queue (a queue of the stack, a name or a URL) instead of the source.")
    String to;

    @Option(names = "--type", paramLabel = "JOB_TYPE", order = 2, description = "Only messages of this job type.")
    String type;

    @Option(names = "--job-id", paramLabel = "ID", order = 3, description = "Only the message of this job.")
    String jobId;

    @Option(names = "--error-contains", paramLabel = "TEXT", order = 4, description = "Only messages whose last error contains TEXT (any case).")
    String errorContains;

    @Option(names = "--older-than", paramLabel = "DURATION", order = 5, description = "Only messages that last failed more than DURATION ago.")
    String olderThan;

    @Option(names = "--newer-than", paramLabel = "DURATION", order = 6, description = "Only messages that last failed less than DURATION ago.")
    String newerThan;

    @Option(names = "--max", paramLabel = "N", order = 7, description = "Move at most N messages.")
    Long max;

    @Option(names = "--rate", paramLabel = "N", order = 8, description = "Send at most N messages a second (default: as fast as it goes).")
    Double rate;

    @Option(names = "--dry-run", order = 9, description = "Print what would move; move nothing.")
    boolean dryRun;

    @Option(names = "--hold", paramLabel = "DURATION", order = 10, defaultValue = "15m",
            description = "How long messages looked at stay invisible should this run die (default: ${DEFAULT-VALUE}).")
    String hold;

    private ReplayFilter filter;
    private Duration holdFor;

    @Override
    protected void validate() {
        filter = new ReplayFilter(blankToNull(type), blankToNull(jobId), blankToNull(errorContains),
                olderThan == null ? null : Durations.parse("--older-than", olderThan),
                newerThan == null ? null : Durations.parse("--newer-than", newerThan));
        holdFor = Durations.parse("--hold", hold);
        DeadLetterReplayer.requirePositive("--max", max);
        if (rate != null && !(rate > 0)) {
            throw CliFailure.usage("--rate must be a positive number of messages a second, not " + rate);
        }
    }

    @Override
    protected int run(StackTarget target) {
        DeadLetterQueue dlq = DeadLetters.queue(target, queue);
        String dlqUrl = target.queueUrl(dlq.name());
        ReplayDestination destination = destination(target, dlq);
        ReplayAudit audit = new ReplayAudit(target.dynamoDb(), target.tableName());
        String replayId = UUID.randomUUID().toString();
        long depth = Long.parseLong(target.sqs().getQueueAttributes(b -> b.queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
        ReplayRecord record = new ReplayRecord(replayId, Instant.now(), target.operator(), dlq.name(), destination.name(),
                describeFilters(), dryRun, "RUNNING", 0, 0, 0, null, null);
        audit.write(record); // before anything moves: a replay that cannot be audited does not run
        try {
            Optional<ReplayCounts> redriven = wholeQueueRedrive(target, dlq, dlqUrl, audit, record, depth);
            ReplayCounts counts = redriven.isPresent() ? redriven.get() : loop(target, dlq, dlqUrl, destination, replayId, depth);
            boolean ok = counts.failed() == 0 && !counts.stoppedOnError();
            if (redriven.isEmpty()) {
                audit.write(record.finished(ok ? "DONE" : "FAILED", counts.moved(), counts.skipped(), counts.failed(), null, Instant.now()));
            }
            summary(dlq, destination, replayId, counts);
            return ok ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finishQuietly(audit, record.finished("INTERRUPTED", 0, 0, 0, null, Instant.now()));
            throw CliFailure.failed("interrupted; messages not moved stay in " + dlq.name());
        } catch (RuntimeException e) {
            finishQuietly(audit, record.finished("FAILED", 0, 0, 0, null, Instant.now()));
            throw e;
        }
    }

    private ReplayCounts loop(StackTarget target, DeadLetterQueue dlq, String dlqUrl, ReplayDestination destination,
                              String replayId, long depth) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        RateLimiter limiter = rate == null ? RateLimiter.unlimited(clock) : new RateLimiter(rate, clock, Sleeper.threadSleep());
        int batch = rate == null ? 10 : (int) Math.max(1, Math.min(10, Math.floor(rate)));
        DeadLetterReplayer replayer = new DeadLetterReplayer(target.sqs(), new JobRecords(target.dynamoDb(), target.tableName()),
                limiter, clock);
        try (ReplayProgress progress = ReplayProgress.on(err(), dryRun ? "dry run" : "replay", depth)) {
            return replayer.replay(dlq, dlqUrl, destination,
                    new DeadLetterReplayer.Plan(replayId, filter, max, dryRun, holdFor, batch), progress, out());
        }
    }

    /** A whole jobs DLQ back to its source queue, unfiltered: SQS's move task, if the endpoint has one. */
    private Optional<ReplayCounts> wholeQueueRedrive(StackTarget target, DeadLetterQueue dlq, String dlqUrl, ReplayAudit audit,
                                                     ReplayRecord record, long depth) throws InterruptedException {
        if (!(dlq.source() instanceof DeadLetterQueue.FromQueue source) || to != null || !filter.isEmpty() || max != null
                || dryRun || (rate != null && (rate < 1 || rate > 500 || rate != Math.floor(rate)))) {
            return Optional.empty();
        }
        String dlqArn = target.queueArn(dlqUrl);
        RedriveTask task = new RedriveTask(target.sqs(), Sleeper.threadSleep());
        Optional<String> handle = task.start(dlqArn, target.queueArn(target.queueUrl(source.queue())),
                rate == null ? null : rate.intValue());
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        audit.write(record.finished("RUNNING", 0, 0, 0, handle.get(), null));
        RedriveTask.Outcome outcome;
        try (ReplayProgress progress = ReplayProgress.on(err(), "redrive", depth)) {
            outcome = task.follow(dlqArn, handle.get(), moved -> progress.update(moved, moved, 0, 0));
        }
        boolean ok = "COMPLETED".equals(outcome.status());
        audit.write(record.finished(ok ? "DONE" : "FAILED", outcome.moved(), 0, 0, handle.get(), Instant.now()));
        out().println("SQS move task " + handle.get() + " " + outcome.status()
                + (outcome.failureReason() == null ? "" : ": " + outcome.failureReason()));
        return Optional.of(new ReplayCounts(outcome.moved(), 0, 0, 0, !ok));
    }

    private ReplayDestination destination(StackTarget target, DeadLetterQueue dlq) {
        if (to != null) {
            String name = to.strip();
            boolean jobs = dlq.source() instanceof DeadLetterQueue.FromQueue q && q.queue().equals(name);
            return new QueueDestination(target.sqs(), name, target.anyQueueUrl(name), jobs);
        }
        return switch (dlq.source()) {
            case DeadLetterQueue.FromQueue q -> new QueueDestination(target.sqs(), q.queue(), target.queueUrl(q.queue()), true);
            case DeadLetterQueue.FromBus b -> new BusDestination(target.events(), target.busName());
        };
    }

    private void summary(DeadLetterQueue dlq, ReplayDestination destination, String replayId, ReplayCounts counts) {
        String verb = dryRun ? "would move" : "moved";
        out().println((dryRun ? "Dry run " : "Replay ") + replayId + ": " + verb + " " + counts.moved() + " from " + dlq.name()
                + " to " + destination.name() + ", skipped " + counts.skipped() + ", failed " + counts.failed()
                + (counts.notDeleted() > 0 ? ", sent but still in the DLQ " + counts.notDeleted() + " (they go again next time)" : "")
                + " (filters: " + describeFilters() + ").");
    }

    private String describeFilters() {
        String text = filter.describe();
        if (max != null) {
            text = (text.equals("none") ? "" : text + " ") + "--max " + max;
        }
        return text;
    }

    /** The audit's last word on a failed replay; the failure itself is what the operator needs to see. */
    private static void finishQuietly(ReplayAudit audit, ReplayRecord record) {
        try {
            audit.write(record);
        } catch (RuntimeException ignored) {
            // the record stays RUNNING
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
