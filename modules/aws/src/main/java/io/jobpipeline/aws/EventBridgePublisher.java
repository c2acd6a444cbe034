package io.jobpipeline.aws;

import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.port.EventPublisher;
import io.jobpipeline.core.retry.Randomness;
import io.jobpipeline.core.retry.RetryPolicy;
import io.jobpipeline.core.retry.Sleeper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * PutEvents in calls of at most 10 entries and 256 KiB. Entries that fail with a throttling or internal error (or
 * whose whole call failed that way) are sent again, only they, after the {@link AwsRetry}'s backoff and within its
 * deadline; entries refused for good (malformed, not authorised) are not. What is still unpublished is handed back,
 * so its messages come back to the queue.
 */
public final class EventBridgePublisher implements EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgePublisher.class);
    static final int MAX_ENTRIES = 10;
    static final int MAX_BYTES = 256 * 1024;
    /** Without a retry given: three rounds, 50 ms doubling to 1 s, jittered. */
    static final RetryPolicy DEFAULT_POLICY = RetryPolicy.ofMillis(50, 1000, 3);

    private final EventBridgeClient events;
    private final String busName;
    private final AwsRetry retry;

    public EventBridgePublisher(EventBridgeClient events, String busName) {
        this(events, busName, new AwsRetry(DEFAULT_POLICY, Clock.systemUTC(), Sleeper.threadSleep(), Randomness.perThread()));
    }

    /** Failed entries retried by {@code retry}; give it a client that does not retry by itself. */
    public EventBridgePublisher(EventBridgeClient events, String busName, AwsRetry retry) {
        this.events = events;
        this.busName = busName;
        this.retry = retry;
    }

    /** This publisher for one invocation: retries stop in time for {@code deadline}. */
    public EventBridgePublisher until(Instant deadline) {
        return new EventBridgePublisher(events, busName, retry.until(deadline));
    }

    @Override
    public List<JobEvent> publish(List<JobEvent> toPublish) {
        Rounds rounds = new Rounds(toPublish);
        try {
            retry.call("PutEvents of " + toPublish.size() + " events", rounds::next, pending -> !pending.isEmpty());
        } catch (SdkException e) {
            LOG.warn("PutEvents gave up with {} events unpublished: {}", rounds.pending.size(), e.getMessage());
        }
        List<JobEvent> unpublished = new ArrayList<>(rounds.refused);
        unpublished.addAll(rounds.pending);
        return unpublished;
    }

    /** The events still to send, and those refused for good, across the rounds of one publish. */
    private final class Rounds {
        private List<JobEvent> pending;
        private final List<JobEvent> refused = new ArrayList<>();

        Rounds(List<JobEvent> events) {
            this.pending = List.copyOf(events);
        }

        /** One round: every pending event, in chunks; returns what is worth sending again. */
        List<JobEvent> next(AwsRequestOverrideConfiguration overrides) {
            List<JobEvent> again = new ArrayList<>();
            for (List<Entry> chunk : chunks(pending)) {
                send(chunk, overrides, again, refused);
            }
            pending = again;
            return again;
        }
    }

    private void send(List<Entry> chunk, AwsRequestOverrideConfiguration overrides, List<JobEvent> again, List<JobEvent> refused) {
        PutEventsResponse response;
        try {
            response = events.putEvents(b -> b.entries(chunk.stream().map(Entry::request).toList()).overrideConfiguration(overrides));
        } catch (SdkException e) {
            boolean retryable = AwsFaults.retryable(e);
            LOG.warn("PutEvents of {} entries failed{}: {}", chunk.size(), retryable ? "" : " for good", e.getMessage());
            (retryable ? again : refused).addAll(chunk.stream().map(Entry::event).toList());
            return;
        }
        if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
            return;
        }
        for (int i = 0; i < chunk.size(); i++) {
            PutEventsResultEntry result = i < response.entries().size() ? response.entries().get(i) : null;
            JobEvent event = chunk.get(i).event();
            if (result == null || result.errorCode() != null) {
                String code = result == null ? "NoResult" : result.errorCode();
                boolean retryable = result == null || AwsFaults.retryableEntryCode(code);
                LOG.warn("event {} ({}) not accepted{}: {} {}", event.eventId(), event.detailType(), retryable ? "" : " for good",
                        code, result == null ? "" : result.errorMessage());
                (retryable ? again : refused).add(event);
            }
        }
    }

    private List<List<Entry>> chunks(List<JobEvent> all) {
        List<List<Entry>> chunks = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        int bytes = 0;
        for (JobEvent event : all) {
            Entry entry = entry(event);
            if (!current.isEmpty() && (current.size() == MAX_ENTRIES || bytes + entry.bytes() > MAX_BYTES)) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(entry);
            bytes += entry.bytes();
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private Entry entry(JobEvent event) {
        String detail = Json.write(event);
        PutEventsRequestEntry request = PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(JobEvent.SOURCE)
                .detailType(event.detailType())
                .detail(detail)
                .time(timeOf(event))
                .build();
        // EventBridge counts Source, DetailType and Detail in UTF-8 towards the 256 KiB of a call.
        int bytes = utf8(JobEvent.SOURCE) + utf8(event.detailType()) + utf8(detail);
        return new Entry(event, request, bytes);
    }

    /**
     * The envelope's {@code time} is when the event happened, not when it was sent: a JobAccepted sent with the job's
     * first outcome carries the acceptance time, and an event published again carries its first time.
     */
    static Instant timeOf(JobEvent event) {
        return JobEvents.occurredAt(event); // null leaves it to EventBridge: the time of the call
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private record Entry(JobEvent event, PutEventsRequestEntry request, int bytes) {}
}
