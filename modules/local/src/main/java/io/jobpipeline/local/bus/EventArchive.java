package io.jobpipeline.local.bus;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The events accepted on each custom bus, oldest first, the last {@code capacityPerBus} of them per bus. */
final class EventArchive {

    /** An archived envelope; {@code eventTime} is its {@code time} field, which replay windows select on. */
    record ArchivedEvent(Instant eventTime, String envelopeJson) {
    }

    private final int capacityPerBus;
    private final Map<String, Deque<ArchivedEvent>> buses = new HashMap<>();

    EventArchive(int capacityPerBus) {
        this.capacityPerBus = capacityPerBus;
    }

    synchronized void append(String busName, Instant eventTime, String envelopeJson) {
        Deque<ArchivedEvent> events = buses.computeIfAbsent(busName, name -> new ArrayDeque<>());
        if (events.size() == capacityPerBus) {
            events.removeFirst();
        }
        events.addLast(new ArchivedEvent(eventTime, envelopeJson));
    }

    /** Events with {@code from <= time < to}, in archive (ingestion) order. */
    synchronized List<ArchivedEvent> window(String busName, Instant from, Instant to) {
        List<ArchivedEvent> selected = new ArrayList<>();
        for (ArchivedEvent event : buses.getOrDefault(busName, new ArrayDeque<>())) {
            if (!event.eventTime().isBefore(from) && event.eventTime().isBefore(to)) {
                selected.add(event);
            }
        }
        return selected;
    }

    synchronized int size(String busName) {
        Deque<ArchivedEvent> events = buses.get(busName);
        return events == null ? 0 : events.size();
    }
}
