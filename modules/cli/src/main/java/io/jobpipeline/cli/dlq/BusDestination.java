package io.jobpipeline.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The bus, for a consumer's dead-letter queue: PutEvents of the envelope's source, detail-type, detail, resources and
 * time again. Every rule of the bus sees it, so every consumer gets it once more; they drop it by
 * {@code detail.eventId} if they had applied it, which is what makes this safe.
 */
final class BusDestination implements ReplayDestination {
    private final EventBridgeClient events;
    private final String busName;

    BusDestination(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public String name() {
        return "bus " + busName;
    }

    @Override
    public boolean rerunsJobs() {
        return false;
    }

    @Override
    public boolean redeliversEvents() {
        return true;
    }

    @Override
    public Map<String, String> send(List<Message> messages) {
        Map<String, String> failed = new LinkedHashMap<>();
        List<Message> sent = new ArrayList<>();
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (Message m : messages) {
            JsonNode envelope;
            try {
                envelope = Json.tree(m.body());
            } catch (RuntimeException e) {
                failed.put(m.messageId(), "the body is not an EventBridge event");
                continue;
            }
            if (!envelope.hasNonNull("detail-type") || !envelope.hasNonNull("source") || !envelope.has("detail")) {
                failed.put(m.messageId(), "the body is not an EventBridge event (no source, detail-type or detail)");
                continue;
            }
            List<String> resources = new ArrayList<>();
            envelope.path("resources").forEach(r -> resources.add(r.asText()));
            PutEventsRequestEntry.Builder entry = PutEventsRequestEntry.builder().eventBusName(busName)
                    .source(envelope.get("source").asText()).detailType(envelope.get("detail-type").asText())
                    .detail(Json.write(envelope.get("detail"))).resources(resources);
            if (envelope.hasNonNull("time")) {
                entry.time(Instant.parse(envelope.get("time").asText()));
            }
            entries.add(entry.build());
            sent.add(m);
        }
        if (!entries.isEmpty()) {
            var response = events.putEvents(b -> b.entries(entries));
            for (int i = 0; i < response.entries().size(); i++) {
                var result = response.entries().get(i);
                if (result.errorCode() != null) {
                    failed.put(sent.get(i).messageId(), result.errorCode() + ": " + result.errorMessage());
                }
            }
        }
        return failed;
    }
}
