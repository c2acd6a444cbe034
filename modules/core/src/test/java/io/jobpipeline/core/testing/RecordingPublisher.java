package io.jobpipeline.core.testing;

import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.port.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keeps what it published; refuses (returns) the events {@code refuse} matches, like a partial PutEvents failure. */
public final class RecordingPublisher implements EventPublisher {
    private final List<JobEvent> published = new ArrayList<>();
    private volatile Predicate<JobEvent> refuse = e -> false;

    public RecordingPublisher refusing(Predicate<JobEvent> refuse) {
        this.refuse = refuse;
        return this;
    }

    @Override
    public synchronized List<JobEvent> publish(List<JobEvent> events) {
        List<JobEvent> failed = new ArrayList<>();
        for (JobEvent e : events) {
            if (refuse.test(e)) {
                failed.add(e);
            } else {
                published.add(e);
            }
        }
        return failed;
    }

    public synchronized List<JobEvent> published() {
        return List.copyOf(published);
    }
}
