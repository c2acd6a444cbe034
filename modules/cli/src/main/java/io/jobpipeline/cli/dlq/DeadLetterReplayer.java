package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.stack.DeadLetterQueue;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Moves dead messages back: one pass over the dead-letter queue ({@link QueueScan}), each message that matches sent
 * to the destination at the given rate and deleted from the DLQ only after its send succeeded. A crash between the
 * two leaves the message in both places (the worker and the consumers are idempotent), never in neither. Messages
 * that do not match stay invisible while the pass lasts and visible again at its end.
 */
final class DeadLetterReplayer {
    /** How a replay is asked for: what to take, how many, how fast, and whether to only say what would move. */
    record Plan(String replayId, ReplayFilter filter, Long max, boolean dryRun, Duration hold, int batch) {}

    private final SqsClient sqs;
    private final JobRecords jobs;
    private final RateLimiter limiter;
    private final Clock clock;

    DeadLetterReplayer(SqsClient sqs, JobRecords jobs, RateLimiter limiter, Clock clock) {
        this.sqs = sqs;
        this.jobs = jobs;
        this.limiter = limiter;
        this.clock = clock;
    }

    ReplayCounts replay(DeadLetterQueue dlq, String dlqUrl, ReplayDestination destination, Plan plan,
                        ReplayProgress progress, PrintWriter out) throws InterruptedException {
        long moved = 0;
        long skipped = 0;
        long failed = 0;
        long notDeleted = 0;
        boolean stopped = false;
        try (QueueScan scan = new QueueScan(sqs, dlqUrl, plan.hold())) {
            while (plan.max() == null || moved < plan.max()) {
                List<Message> batch = scan.next(plan.batch());
                if (batch.isEmpty()) {
                    break;
                }
                List<DeadMessage> chosen = new ArrayList<>();
                for (DeadMessage m : describe(dlq, batch, plan.filter().needsRecord() || plan.dryRun())) {
                    boolean room = plan.max() == null || moved + chosen.size() < plan.max();
                    if (room && plan.filter().matches(m, clock.instant())) {
                        chosen.add(m);
                    } else if (room) {
                        skipped++;
                    }
                }
                if (plan.dryRun()) {
                    chosen.forEach(m -> out.println("would move " + line(m) + " to " + destination.name()));
                    moved += chosen.size();
                } else if (!chosen.isEmpty()) {
                    Map<String, String> notSent;
                    try {
                        notSent = send(chosen, destination, dlq, plan);
                    } catch (SdkException e) {
                        if (moved == 0) {
                            throw e; // nothing moved yet: the command fails as a whole, the pass gives every message back
                        }
                        failed += chosen.size();
                        stopped = true;
                        out.println("stopped: sending to " + destination.name() + " failed: " + e.getMessage());
                        break;
                    }
                    List<Message> sent = chosen.stream().map(DeadMessage::message)
                            .filter(m -> !notSent.containsKey(m.messageId())).toList();
                    notSent.forEach((id, why) -> out.println("not sent: message " + id + ": " + why));
                    notDeleted += scan.delete(sent).size();
                    moved += sent.size();
                    failed += notSent.size();
                }
                progress.update(moved + skipped + failed, moved, skipped, failed);
            }
        }
        return new ReplayCounts(moved, skipped, failed, notDeleted, stopped);
    }

    /** Sends in chunks the rate allows, the jobs' REPLAYED entries written first so the timeline reads in order. */
    private Map<String, String> send(List<DeadMessage> chosen, ReplayDestination destination, DeadLetterQueue dlq, Plan plan)
            throws InterruptedException {
        limiter.acquire(chosen.size());
        Instant now = clock.instant();
        String detail = "replay " + plan.replayId() + ": " + dlq.name() + " to " + destination.name();
        for (DeadMessage m : chosen) {
            // A consumer's event goes back to the bus: the job's story gets the replay too, when its record is known
            // (appendReplayed writes nothing for an unknown job).
            if (m.jobId() != null && destination.rerunsJobs()) {
                jobs.appendReplayed(m.jobId(), detail, now);
            } else if (m.jobId() != null && destination.redeliversEvents() && m.detailType() != null) {
                jobs.appendReplayed(m.jobId(), detail + " (event " + m.detailType() + ")", now);
            }
        }
        return destination.send(chosen.stream().map(DeadMessage::message).toList());
    }

    private List<DeadMessage> describe(DeadLetterQueue dlq, List<Message> batch, boolean withRecords) {
        if (dlq.fromBus()) {
            return batch.stream().map(DeadMessage::ofEvent).toList();
        }
        Map<String, JobRecord> records = withRecords
                ? jobs.find(batch.stream().map(m -> DeadMessage.ofJob(m, null).jobId()).filter(id -> id != null).toList())
                : Map.of();
        return batch.stream().map(m -> {
            DeadMessage bare = DeadMessage.ofJob(m, null);
            return bare.jobId() == null ? bare : DeadMessage.ofJob(m, records.get(bare.jobId()));
        }).toList();
    }

    static String line(DeadMessage m) {
        StringBuilder s = new StringBuilder("message ").append(m.message().messageId());
        if (m.jobId() != null) {
            s.append(" job ").append(m.jobId());
        }
        if (m.jobType() != null) {
            s.append(" ").append(m.jobType());
        }
        if (m.detailType() != null) {
            s.append(" ").append(m.detailType());
        }
        if (m.error() != null) {
            s.append(" (").append(m.error()).append(")");
        }
        return s.toString();
    }

    static void requirePositive(String option, Long value) {
        if (value != null && value <= 0) {
            throw CliFailure.usage(option + " must be a positive number, not " + value);
        }
    }
}
