package io.jobpipeline.local.bus;

import java.time.Instant;

/**
 * What a replay did.
 *
 * @param eventsReplayed       archived events in the window (each is re-sent with {@code "replay-name"})
 * @param deliveriesScheduled  (event, rule) deliveries started; delivery itself is asynchronous
 */
public record ReplayResult(String replayName, String busName, Instant from, Instant to,
                           int eventsReplayed, int deliveriesScheduled) {
}
