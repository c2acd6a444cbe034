package io.jobpipeline.local.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.local.bus.PutEventsValidator.EntryCheck;
import io.jobpipeline.local.bus.PutEventsValidator.InvalidEntry;
import io.jobpipeline.local.bus.PutEventsValidator.ValidEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The bus without its HTTP front: accepts PutEvents entries, builds envelopes, archives custom-bus events, matches
 * rules and hands deliveries to the dispatcher; replays archived windows.
 */
final class BusEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BusEngine.class);

    private final BusRegistry registry;
    private final PutEventsValidator validator;
    private final EnvelopeBuilder envelopes;
    private final RuleMatcher matcher;
    private final EventArchive archive;
    private final DeliveryDispatcher dispatcher;
    private final StatsCounters stats;
    private final Clock clock;

    BusEngine(BusRegistry registry, PutEventsValidator validator, EnvelopeBuilder envelopes, RuleMatcher matcher,
              EventArchive archive, DeliveryDispatcher dispatcher, StatsCounters stats, Clock clock) {
        this.registry = registry;
        this.validator = validator;
        this.envelopes = envelopes;
        this.matcher = matcher;
        this.archive = archive;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.clock = clock;
    }

    BusRegistry registry() {
        return registry;
    }

    /** Handles a PutEvents request body; whole-request errors are thrown as {@link BusApiException}. */
    ObjectNode putEvents(JsonNode request) {
        List<EntryCheck> checks;
        try {
            checks = validator.validate(request);
        } catch (BusApiException e) {
            stats.requestsRejected.increment();
            throw e;
        }
        Instant ingestedAt = clock.instant();
        ObjectNode response = BusJson.MAPPER.createObjectNode();
        response.put("FailedEntryCount", 0);
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        for (EntryCheck check : checks) {
            switch (check) {
                case InvalidEntry invalid -> {
                    failed++;
                    stats.entriesRejected.increment();
                    results.addObject().put("ErrorCode", invalid.errorCode())
                            .put("ErrorMessage", invalid.errorMessage());
                }
                case ValidEntry valid -> {
                    String eventId = UUID.randomUUID().toString();
                    stats.eventsAccepted.increment();
                    results.addObject().put("EventId", eventId);
                    accept(valid, eventId, ingestedAt);
                }
            }
        }
        response.put("FailedEntryCount", failed);
        return response;
    }

    private void accept(ValidEntry entry, String eventId, Instant ingestedAt) {
        if (entry.busName() == null) {
            stats.eventsToUnknownBus.increment();
            LOG.warn("PutEvents: event bus {} does not exist; event {} accepted and dropped (as AWS does)",
                    entry.requestedBus(), eventId);
            return;
        }
        ObjectNode envelope = envelopes.build(entry, eventId, ingestedAt);
        String json = BusJson.write(envelope);
        if (registry.isCustom(entry.busName())) {
            archive.append(entry.busName(), EnvelopeBuilder.parseTime(envelope.get("time").textValue()), json);
            stats.eventsArchived.increment();
        }
        route(entry.busName(), json, Set.of(), ingestedAt);
    }

    private int route(String busName, String envelopeJson, Set<String> onlyRules, Instant ingestedAt) {
        int scheduled = 0;
        for (BusRule rule : matcher.match(busName, envelopeJson)) {
            if (!onlyRules.isEmpty() && !onlyRules.contains(rule.name())) {
                continue;
            }
            String ruleArn = registry.ruleArn(busName, rule.name());
            String targetArn = rule.target().arn().orElse(ruleArn + "/target");
            dispatcher.dispatch(new DeliveryDispatcher.Delivery(rule, ruleArn, targetArn, envelopeJson, ingestedAt));
            scheduled++;
        }
        return scheduled;
    }

    /**
     * Re-sends the archived events of a custom bus with {@code from <= time < to} that {@code archived} keeps, through
     * the rules named in {@code ruleNames} (all of the bus's rules when empty), each marked with {@code replay-name}.
     */
    ReplayResult replay(String replayName, String busNameOrArn, Instant from, Instant to, Set<String> ruleNames,
                        Predicate<String> archived) {
        if (replayName == null || replayName.isBlank()) {
            throw new IllegalArgumentException("replayName must not be blank");
        }
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("replay window must have from < to, was " + from + " .. " + to);
        }
        String busName = registry.resolve(busNameOrArn)
                .orElseThrow(() -> new IllegalArgumentException("Event bus " + busNameOrArn + " does not exist."));
        if (!registry.isCustom(busName)) {
            throw new IllegalArgumentException("only custom buses are archived; cannot replay bus " + busName);
        }
        for (String name : ruleNames) {
            matcher.rule(busName, name).orElseThrow(() ->
                    new IllegalArgumentException("Rule " + name + " does not exist on EventBus " + busName + "."));
        }
        Instant replayedAt = clock.instant();
        int events = 0;
        int deliveries = 0;
        Instant lastEventTime = null;
        for (EventArchive.ArchivedEvent event : archive.window(busName, from, to)) {
            if (!archived.test(event.envelopeJson())) {
                continue;
            }
            ObjectNode replayed = EnvelopeBuilder.replayed(parseArchived(event.envelopeJson()), replayName);
            deliveries += route(busName, BusJson.write(replayed), ruleNames, replayedAt);
            events++;
            lastEventTime = lastEventTime == null || event.eventTime().isAfter(lastEventTime) ? event.eventTime() : lastEventTime;
        }
        LOG.info("replay {} on bus {} [{} .. {}): {} events, {} deliveries", replayName, busName, from, to, events,
                deliveries);
        return new ReplayResult(replayName, busName, from, to, events, deliveries, Optional.ofNullable(lastEventTime));
    }

    /** The archived events of a bus, oldest first. */
    List<EventArchive.ArchivedEvent> archived(String busName) {
        return archive.window(busName, Instant.MIN, Instant.MAX);
    }

    RuleMatcher matcher() {
        return matcher;
    }

    private static ObjectNode parseArchived(String json) {
        try {
            return (ObjectNode) BusJson.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("archived event is not JSON", e);
        }
    }

    BusStats stats() {
        return stats.snapshot(dispatcher.inFlight());
    }

    boolean awaitIdle(java.time.Duration timeout) throws InterruptedException {
        return dispatcher.awaitIdle(timeout);
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
