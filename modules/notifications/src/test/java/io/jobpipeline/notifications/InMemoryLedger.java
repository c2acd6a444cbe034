package io.jobpipeline.notifications;

import io.jobpipeline.core.port.ConsumerLedger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The ledger's contract in memory: an entry per (consumer, eventId), delivery records unique per (event, number). */
final class InMemoryLedger implements ConsumerLedger {
    final Set<String> entries = new HashSet<>();
    final List<RecordDelivery> deliveries = new ArrayList<>();

    @Override
    public synchronized boolean applyOnce(String consumer, String eventId, LedgerEffect effect) {
        if (!entries.add(consumer + "#" + eventId)) {
            return false;
        }
        if (effect instanceof RecordDelivery d) {
            recordAttempt(d);
        }
        return true;
    }

    @Override
    public synchronized boolean applied(String consumer, String eventId) {
        return entries.contains(consumer + "#" + eventId);
    }

    @Override
    public synchronized int recordAttempt(RecordDelivery attempt) {
        int n = attempt.attempt();
        while (taken(attempt.eventId(), n)) {
            n++;
        }
        deliveries.add(new RecordDelivery(attempt.jobId(), attempt.eventId(), attempt.detailType(), attempt.url(),
                attempt.outcome(), attempt.status(), attempt.detail(), n, attempt.at(), attempt.replayName()));
        return n;
    }

    @Override
    public synchronized int deliveryAttempts(String jobId, String eventId) {
        return (int) deliveries.stream().filter(d -> d.jobId().equals(jobId) && d.eventId().equals(eventId)).count();
    }

    synchronized List<RecordDelivery> deliveries(String eventId) {
        return deliveries.stream().filter(d -> d.eventId().equals(eventId))
                .sorted(Comparator.comparingInt(RecordDelivery::attempt)).toList();
    }

    private boolean taken(String eventId, int n) {
        return deliveries.stream().anyMatch(d -> d.eventId().equals(eventId) && d.attempt() == n);
    }
}
