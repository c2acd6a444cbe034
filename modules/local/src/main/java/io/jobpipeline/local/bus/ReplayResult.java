package io.jobpipeline.local.bus;

import java.time.Instant;
import java.util.Optional;

/**
 * What a replay did.
 *
 * @param eventsReplayed        archived events in the window (each is re-sent with {@code "replay-name"})
 * @param deliveriesScheduled   (event, rule) deliveries started; delivery itself is asynchronous
 * @param lastReplayedEventTime the latest event time among the replayed events (DescribeReplay's
 *                              EventLastReplayedTime); empty when the window held none
 */
public record ReplayResult(String replayName, String busName, Instant from, Instant to,
                           int eventsReplayed, int deliveriesScheduled, Optional<Instant> lastReplayedEventTime) {
}
