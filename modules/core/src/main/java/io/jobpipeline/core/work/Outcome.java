package io.jobpipeline.core.work;

import io.jobpipeline.core.event.JobEvent;
import java.util.List;

/** What became of one delivery: done (the message may be deleted) or not, and the events to publish either way. */
public record Outcome(boolean done, List<JobEvent> events, String error) {
    public static Outcome done(List<JobEvent> events) {
        return new Outcome(true, List.copyOf(events), null);
    }

    public static Outcome retry(List<JobEvent> events, String error) {
        return new Outcome(false, List.copyOf(events), error);
    }
}
