package io.jobpipeline.local.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses and checks a PutEvents request the way EventBridge does: 1..10 entries and the documented entry-size total
 * are whole-request {@code ValidationException}s; everything else is a per-entry error, in input order.
 */
final class PutEventsValidator {

    static final int MAX_ENTRIES = 10;
    /** Bytes EventBridge counts for a Time parameter, whatever its value. */
    static final int TIME_BYTES = 14;

    /** One entry's verdict. */
    sealed interface EntryCheck permits ValidEntry, InvalidEntry {
    }

    /** An accepted entry; {@code busName} is null when the bus is unknown and the policy is ACCEPT_AND_DROP. */
    record ValidEntry(String busName, String requestedBus, String source, String detailType, ObjectNode detail,
                      List<String> resources, Optional<Instant> time) implements EntryCheck {
    }

    record InvalidEntry(String errorCode, String errorMessage) implements EntryCheck {
    }

    private final BusRegistry registry;
    private final long maxEntriesBytes;
    private final UnknownBusPolicy unknownBusPolicy;

    PutEventsValidator(BusRegistry registry, long maxEntriesBytes, UnknownBusPolicy unknownBusPolicy) {
        this.registry = registry;
        this.maxEntriesBytes = maxEntriesBytes;
        this.unknownBusPolicy = unknownBusPolicy;
    }

    List<EntryCheck> validate(JsonNode request) {
        JsonNode entries = request.get("Entries");
        if (entries == null || entries.isNull()) {
            throw BusApiException.validation("1 validation error detected: Value null at 'entries' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        if (!entries.isArray()) {
            throw BusApiException.serialization("Entries must be a list");
        }
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            String bound = entries.isEmpty() ? "greater than or equal to 1" : "less than or equal to " + MAX_ENTRIES;
            throw BusApiException.validation("1 validation error detected: Value at 'entries' failed to satisfy "
                    + "constraint: Member must have length " + bound);
        }
        long total = 0;
        List<EntryCheck> checks = new ArrayList<>(entries.size());
        for (JsonNode entry : entries) {
            if (!entry.isObject()) {
                throw BusApiException.serialization("Each entry must be an object");
            }
            total += entrySize(entry);
            checks.add(check(entry));
        }
        if (total > maxEntriesBytes) {
            throw BusApiException.validation("Total size of the entries in the request is over the limit.");
        }
        return checks;
    }

    /** The size AWS documents: Time 14 bytes if present, Source + DetailType + Detail + each Resource in UTF-8. */
    static long entrySize(JsonNode entry) {
        long size = present(entry.get("Time")) ? TIME_BYTES : 0;
        size += utf8(text(entry, "Source")) + utf8(text(entry, "DetailType")) + utf8(text(entry, "Detail"));
        for (String resource : resources(entry)) {
            size += utf8(resource);
        }
        return size;
    }

    private EntryCheck check(JsonNode entry) {
        String source = text(entry, "Source");
        String detailType = text(entry, "DetailType");
        String detail = text(entry, "Detail");
        if (source == null || source.isEmpty()) {
            return required("Source");
        }
        if (detailType == null || detailType.isEmpty()) {
            return required("DetailType");
        }
        if (detail == null || detail.isEmpty()) {
            return required("Detail");
        }
        if (source.startsWith("aws.")) {
            return new InvalidEntry("NotAuthorizedForSourceException", "Not authorized for the source.");
        }
        ObjectNode detailObject = parseDetail(detail);
        if (detailObject == null) {
            return new InvalidEntry("MalformedDetail", "Detail is malformed.");
        }
        String requestedBus = text(entry, "EventBusName");
        String bus = registry.resolve(requestedBus).orElse(null);
        if (bus == null && unknownBusPolicy == UnknownBusPolicy.REJECT_ENTRY) {
            return new InvalidEntry("ResourceNotFoundException", "Event bus " + requestedBus + " does not exist.");
        }
        return new ValidEntry(bus, requestedBus, source, detailType, detailObject, resources(entry),
                time(entry.get("Time")));
    }

    private static InvalidEntry required(String field) {
        return new InvalidEntry("InvalidArgument",
                "Parameter " + field + " is not valid. Reason: " + field + " is a required argument.");
    }

    private static ObjectNode parseDetail(String detail) {
        try {
            return BusJson.parse(detail) instanceof ObjectNode object ? object : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (!present(value)) {
            return null;
        }
        if (!value.isTextual()) {
            throw BusApiException.serialization(field + " must be a string");
        }
        return value.textValue();
    }

    private static List<String> resources(JsonNode entry) {
        JsonNode value = entry.get("Resources");
        if (!present(value)) {
            return List.of();
        }
        if (!value.isArray()) {
            throw BusApiException.serialization("Resources must be a list of strings");
        }
        List<String> resources = new ArrayList<>(value.size());
        for (JsonNode resource : value) {
            if (!resource.isTextual()) {
                throw BusApiException.serialization("Resources must be a list of strings");
            }
            resources.add(resource.textValue());
        }
        return List.copyOf(resources);
    }

    /** The SDKs send Time as epoch seconds (JSON 1.1 timestamps); an ISO-8601 string is accepted too. */
    private static Optional<Instant> time(JsonNode value) {
        if (!present(value)) {
            return Optional.empty();
        }
        try {
            if (value.isNumber()) {
                return Optional.of(epochSeconds(value.decimalValue()));
            }
            if (value.isTextual()) {
                String text = value.textValue().trim();
                return Optional.of(text.matches("-?\\d+(\\.\\d+)?") ? epochSeconds(new BigDecimal(text))
                        : Instant.parse(text));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // fall through
        }
        throw BusApiException.serialization("Time is not a valid timestamp: " + value);
    }

    private static Instant epochSeconds(BigDecimal seconds) {
        BigDecimal whole = new BigDecimal(seconds.toBigInteger());
        long nanos = seconds.subtract(whole).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    private static long utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
