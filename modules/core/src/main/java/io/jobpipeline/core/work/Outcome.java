package io.jobpipeline.core.work;

import io.jobpipeline.core.event.JobEvent;
import java.util.List;

/**
 * What became of one delivery: done (the message may be deleted) or not, and the events to publish either way. A
 * delivery that is not done either waits before its next delivery ({@code backOff}: the cause may pass) or comes back
 * at once: a permanent failure, or the last delivery before the dead-letter queue, has nothing to wait for.
 */
public record Outcome(boolean done, List<JobEvent> events, String error, boolean backOff) {
    public Outcome {
        events = List.copyOf(events);
    }

    public static Outcome done(List<JobEvent> events) {
        return new Outcome(true, events, null, false);
    }

    /** Not done; the next delivery waits for the backoff of its receive count. */
    public static Outcome retry(List<JobEvent> events, String error) {
        return new Outcome(false, events, error, true);
    }

    /** Not done, and waiting cannot help: the message comes back at once (on its way to the dead-letter queue). */
    public static Outcome retryAtOnce(List<JobEvent> events, String error) {
        return new Outcome(false, events, error, false);
    }
}
