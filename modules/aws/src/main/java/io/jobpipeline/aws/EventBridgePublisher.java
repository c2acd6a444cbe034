package io.jobpipeline.aws;

import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.port.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** PutEvents in calls of at most 10 entries and 256 KiB; entries that fail are sent once more, then handed back. */
public final class EventBridgePublisher implements EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgePublisher.class);
    static final int MAX_ENTRIES = 10;
    static final int MAX_BYTES = 256 * 1024;
    private static final int ROUNDS = 2;

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public List<JobEvent> publish(List<JobEvent> toPublish) {
        List<JobEvent> pending = List.copyOf(toPublish);
        for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
            List<JobEvent> failed = new ArrayList<>();
            for (List<Entry> chunk : chunks(pending)) {
                failed.addAll(send(chunk));
            }
            pending = failed;
        }
        return pending;
    }

    private List<JobEvent> send(List<Entry> chunk) {
        try {
            PutEventsResponse response = events.putEvents(b -> b.entries(chunk.stream().map(Entry::request).toList()));
            if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
                return List.of();
            }
            List<JobEvent> failed = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                var result = response.entries().get(i);
                if (result.errorCode() != null) {
                    LOG.warn("event {} ({}) not accepted: {} {}", chunk.get(i).event().eventId(), chunk.get(i).event().detailType(),
                            result.errorCode(), result.errorMessage());
                    failed.add(chunk.get(i).event());
                }
            }
            return failed;
        } catch (SdkException e) {
            LOG.warn("PutEvents of {} entries failed: {}", chunk.size(), e.getMessage());
            return chunk.stream().map(Entry::event).toList();
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
                .build();
        // EventBridge counts Source, DetailType and Detail in UTF-8 towards the 256 KiB of a call.
        int bytes = utf8(JobEvent.SOURCE) + utf8(event.detailType()) + utf8(detail);
        return new Entry(event, request, bytes);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private record Entry(JobEvent event, PutEventsRequestEntry request, int bytes) {}
}
