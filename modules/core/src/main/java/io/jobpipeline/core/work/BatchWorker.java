package io.jobpipeline.core.work;

import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.job.JobMessage;
import io.jobpipeline.core.port.EventPublisher;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQS batch in, the ids of the records to retry out (Lambda's partial batch response, modelled on Powertools'
 * BatchMessageHandler). Records run concurrently; records of one FIFO message group run in order, and once one fails
 * the rest of its group is reported failed too, as Lambda requires to keep the group's order.
 */
public final class BatchWorker {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWorker.class);

    private final JobProcessor processor;
    private final EventPublisher publisher;

    public BatchWorker(JobProcessor processor, EventPublisher publisher) {
        this.processor = processor;
        this.publisher = publisher;
    }

    /** The message ids that must come back; every other record of the batch is done and its events are out. */
    public List<String> process(List<QueueRecord> records) {
        return process(records, null);
    }

    /** As {@link #process(List)}, for an invocation that ends at {@code deadline} (attempts lease the job until then). */
    public List<String> process(List<QueueRecord> records, java.time.Instant deadline) {
        Map<String, List<QueueRecord>> lanes = lanes(records);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        try (ExecutorService lanesRunner = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Outcome>>> running = new ArrayList<>();
            for (List<QueueRecord> lane : lanes.values()) {
                running.add(lanesRunner.submit(() -> runLane(lane, deadline)));
            }
            for (Future<Map<String, Outcome>> lane : running) {
                outcomes.putAll(lane.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return records.stream().map(QueueRecord::messageId).toList();
        } catch (ExecutionException e) {
            LOG.error("a batch lane failed unexpectedly; the whole batch comes back", e.getCause());
            return records.stream().map(QueueRecord::messageId).toList();
        }
        return failedAfterPublishing(records, outcomes);
    }

    private Map<String, Outcome> runLane(List<QueueRecord> lane, java.time.Instant deadline) {
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

    private Outcome processOne(QueueRecord record, java.time.Instant deadline) {
        JobMessage message;
        try {
            message = record.body() == null ? null : Json.read(record.body(), JobMessage.class);
            if (message == null) {
                throw new IllegalArgumentException("empty or null body");
            }
            message.id();
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.error("message {} is not a job message and will end in the dead-letter queue: {}", record.messageId(), e.getMessage());
            return Outcome.retry(List.of(), "not a job message");
        }
        return processor.process(message, record.receiveCount(), deadline);
    }

    private List<String> failedAfterPublishing(List<QueueRecord> records, Map<String, Outcome> outcomes) {
        List<JobEvent> events = outcomes.values().stream().flatMap(o -> o.events().stream()).toList();
        Set<String> unpublished = new HashSet<>();
        if (!events.isEmpty()) {
            for (JobEvent e : publisher.publish(events)) {
                unpublished.add(e.eventId());
            }
        }
        List<String> failed = new ArrayList<>();
        Set<String> brokenGroups = new HashSet<>();
        for (QueueRecord record : records) {
            Outcome outcome = outcomes.get(record.messageId());
            boolean eventsOut = outcome.events().stream().noneMatch(e -> unpublished.contains(e.eventId()));
            boolean groupBroken = record.messageGroupId().map(brokenGroups::contains).orElse(false);
            if (!outcome.done() || !eventsOut || groupBroken) {
                failed.add(record.messageId());
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
