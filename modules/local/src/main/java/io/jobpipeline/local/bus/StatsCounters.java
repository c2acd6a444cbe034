package io.jobpipeline.local.bus;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link BusStats}. */
final class StatsCounters {

    final LongAdder requestsRejected = new LongAdder();
    final LongAdder eventsAccepted = new LongAdder();
    final LongAdder entriesRejected = new LongAdder();
    final LongAdder eventsToUnknownBus = new LongAdder();
    final LongAdder eventsArchived = new LongAdder();
    final LongAdder deliveriesScheduled = new LongAdder();
    final LongAdder deliveriesSucceeded = new LongAdder();
    final LongAdder failedAttempts = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder deadLetterSendFailures = new LongAdder();
    final LongAdder dropped = new LongAdder();

    BusStats snapshot(int inFlight) {
        return new BusStats(requestsRejected.sum(), eventsAccepted.sum(), entriesRejected.sum(),
                eventsToUnknownBus.sum(), eventsArchived.sum(), deliveriesScheduled.sum(), deliveriesSucceeded.sum(),
                failedAttempts.sum(), retries.sum(), deadLettered.sum(), deadLetterSendFailures.sum(), dropped.sum(),
                inFlight);
    }
}
