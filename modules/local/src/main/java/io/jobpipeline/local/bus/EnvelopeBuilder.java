package io.jobpipeline.local.bus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Builds the event EventBridge hands to targets, field for field and in the order of
 * {@code shared/events/eventbridge_event.json}: version, id, detail-type, source, account, time, region, resources,
 * detail (and {@code replay-name} last, on replayed events).
 */
final class EnvelopeBuilder {

    static final String REPLAY_NAME = "replay-name";

    private final String region;
    private final String accountId;

    EnvelopeBuilder(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
    }

    /** {@code ingestedAt} is used for {@code time} when the entry has no Time of its own. */
    ObjectNode build(PutEventsValidator.ValidEntry entry, String eventId, Instant ingestedAt) {
        ObjectNode envelope = BusJson.MAPPER.createObjectNode();
        envelope.put("version", "0");
        envelope.put("id", eventId);
        envelope.put("detail-type", entry.detailType());
        envelope.put("source", entry.source());
        envelope.put("account", accountId);
        envelope.put("time", formatTime(entry.time().orElse(ingestedAt)));
        envelope.put("region", region);
        ArrayNode resources = envelope.putArray("resources");
        entry.resources().forEach(resources::add);
        envelope.set("detail", entry.detail().deepCopy());
        return envelope;
    }

    /** A copy of an archived envelope marked as replayed, as EventBridge marks replayed events. */
    static ObjectNode replayed(ObjectNode envelope, String replayName) {
        ObjectNode copy = envelope.deepCopy();
        copy.put(REPLAY_NAME, replayName);
        return copy;
    }

    /** ISO-8601 in UTC to the second: {@code 2020-09-30T15:58:34Z}. */
    static String formatTime(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    static Instant parseTime(String time) {
        return Instant.parse(time);
    }
}
