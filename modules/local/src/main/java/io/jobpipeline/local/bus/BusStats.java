package io.jobpipeline.local.bus;

/**
 * A snapshot of the bus counters since it was created.
 *
 * @param requestsRejected        PutEvents calls refused whole (ValidationException, SerializationException, ...)
 * @param eventsAccepted          entries that got an EventId
 * @param entriesRejected         entries answered with an ErrorCode
 * @param eventsToUnknownBus      accepted entries dropped because their bus does not exist (ACCEPT_AND_DROP policy)
 * @param eventsArchived          events kept in a custom bus archive
 * @param deliveriesScheduled     (event, matching rule) pairs handed to the dispatcher, replays included
 * @param deliveriesSucceeded     deliveries whose target eventually returned normally
 * @param failedAttempts          target invocations that threw
 * @param retries                 retry attempts made
 * @param deadLettered            events sent to a rule's dead-letter queue
 * @param deadLetterSendFailures  dead-letter sends that failed (event lost)
 * @param dropped                 deliveries given up without a dead-letter queue, or abandoned at close
 * @param inFlight                deliveries currently queued, running or waiting for a retry
 */
public record BusStats(long requestsRejected, long eventsAccepted, long entriesRejected, long eventsToUnknownBus,
                       long eventsArchived, long deliveriesScheduled, long deliveriesSucceeded, long failedAttempts,
                       long retries, long deadLettered, long deadLetterSendFailures, long dropped, int inFlight) {
}
