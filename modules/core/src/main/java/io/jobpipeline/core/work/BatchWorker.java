package io.jobpipeline.core.work;

import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.job.JobMessage;
import io.jobpipeline.core.log.LogFields;
import io.jobpipeline.core.port.EventPublisher;
import io.jobpipeline.core.retry.Randomness;
import io.jobpipeline.core.retry.RedeliveryBackoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One SQS batch in, the ids of the records to retry out (Lambda's partial batch response, modelled on Powertools'
 * BatchMessageHandler). Records run concurrently; records of one FIFO message group run in order, and once one fails
 * the rest of its group is reported failed too, as Lambda requires to keep the group's order. Each message that must
 * come back gets a visibility timeout: growing with its receive count ({@link RedeliveryBackoff}), or zero when waiting
 * cannot help (a permanent failure, a dead-lettered job, a body that is no job message), so it reaches the
 * dead-letter queue fast.
 */
public final class BatchWorker {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWorker.class);

    /** Used when no backoff is given: 1 s doubling to 5 min. */
    public static final RedeliveryBackoff DEFAULT_BACKOFF = RedeliveryBackoff.ofSeconds(1, 300);

    private final JobProcessor processor;
    private final EventPublisher publisher;
    private final RedeliveryBackoff backoff;
    private final RandomGenerator random;

    public BatchWorker(JobProcessor processor, EventPublisher publisher) {
        this(processor, publisher, DEFAULT_BACKOFF, Randomness.perThread());
    }

    public BatchWorker(JobProcessor processor, EventPublisher publisher, RedeliveryBackoff backoff, RandomGenerator random) {
        this.processor = processor;
        this.publisher = publisher;
        this.backoff = backoff;
        this.random = random;
    }

    /** The message ids that must come back; every other record of the batch is done and its events are out. */
    public List<String> process(List<QueueRecord> records) {
        return process(records, null);
    }

    /** As {@link #process(List)}, for an invocation that ends at {@code deadline} (attempts lease the job until then). */
    public List<String> process(List<QueueRecord> records, Instant deadline) {
        return run(records, deadline).stream().map(Redelivery::messageId).toList();
    }

    /**
     * The messages that must come back, each with the visibility timeout it should get, in batch order; every other
     * record of the batch is done and its events are out. {@code deadline}: when the invocation ends (attempts lease
     * their jobs until then); null for no deadline.
     */
    public List<Redelivery> run(List<QueueRecord> records, Instant deadline) {
        Map<String, List<QueueRecord>> lanes = lanes(records);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        // The invocation's log keys (its request id) go along into each lane's thread.
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        try (ExecutorService lanesRunner = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Outcome>>> running = new ArrayList<>();
            for (List<QueueRecord> lane : lanes.values()) {
                running.add(lanesRunner.submit(() -> {
                    if (logContext != null) {
                        MDC.setContextMap(logContext);
                    }
                    try {
                        return runLane(lane, deadline);
                    } finally {
                        MDC.clear();
                    }
                }));
            }
            for (Future<Map<String, Outcome>> lane : running) {
                outcomes.putAll(lane.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return records.stream().map(this::backingOff).toList();
        } catch (ExecutionException e) {
            LOG.error("a batch lane failed unexpectedly; the whole batch comes back", e.getCause());
            return records.stream().map(this::backingOff).toList();
        }
        return failedAfterPublishing(records, outcomes);
    }

    private Redelivery backingOff(QueueRecord record) {
        return new Redelivery(record.messageId(), backoff.after(record.receiveCount(), random));
    }

    private Map<String, Outcome> runLane(List<QueueRecord> lane, Instant deadline) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        boolean laneBroken = false;
        for (QueueRecord record : lane) {
            if (laneBroken) {
                outcomes.put(record.messageId(), Outcome.retry(List.of(), "an earlier message of its group failed"));
                continue;
            }
            Outcome outcome = processOne(record, deadline);
            outcomes.put(record.messageId(), outcome);
            laneBroken = !outcome.done() && record.messageGroupId().isPresent();
        }
        return outcomes;
    }

    private Outcome processOne(QueueRecord record, Instant deadline) {
        try (LogFields fields = LogFields.of(LogFields.MESSAGE_ID, record.messageId())) {
            return parseAndProcess(record, deadline);
        }
    }

    private Outcome parseAndProcess(QueueRecord record, Instant deadline) {
        JobMessage message;
        try {
            message = record.body() == null ? null : Json.read(record.body(), JobMessage.class);
            if (message == null) {
                throw new IllegalArgumentException("empty or null body");
            }
            message.id();
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.error("message {} is not a job message and will end in the dead-letter queue: {}", record.messageId(), e.getMessage());
            return Outcome.retryAtOnce(List.of(), "not a job message");
        }
        return processor.process(message, record.receiveCount(), deadline);
    }

    private List<Redelivery> failedAfterPublishing(List<QueueRecord> records, Map<String, Outcome> outcomes) {
        List<JobEvent> events = outcomes.values().stream().flatMap(o -> o.events().stream()).toList();
        Set<String> unpublished = new HashSet<>();
        if (!events.isEmpty()) {
            for (JobEvent e : publisher.publish(events)) {
                unpublished.add(e.eventId());
            }
        }
        List<Redelivery> failed = new ArrayList<>();
        Set<String> brokenGroups = new HashSet<>();
        for (QueueRecord record : records) {
            Outcome outcome = outcomes.get(record.messageId());
            boolean eventsOut = outcome.events().stream().noneMatch(e -> unpublished.contains(e.eventId()));
            boolean groupBroken = record.messageGroupId().map(brokenGroups::contains).orElse(false);
            if (!outcome.done() || !eventsOut || groupBroken) {
                // A job that cannot succeed has nothing to wait for (its events go out again with the next delivery).
                boolean atOnce = !outcome.done() && !outcome.backOff();
                failed.add(atOnce ? new Redelivery(record.messageId(), Duration.ZERO) : backingOff(record));
                record.messageGroupId().ifPresent(brokenGroups::add);
            }
        }
        return failed;
    }

    private static Map<String, List<QueueRecord>> lanes(List<QueueRecord> records) {
        Map<String, List<QueueRecord>> lanes = new LinkedHashMap<>();
        for (QueueRecord record : records) {
            String lane = record.messageGroupId().map(g -> "group:" + g).orElse("message:" + record.messageId());
            lanes.computeIfAbsent(lane, k -> new ArrayList<>()).add(record);
        }
        return lanes;
    }
}
