package io.jobpipeline.core.port;

import io.jobpipeline.core.event.JobEvent;
import java.util.List;

/** The event bus. */
public interface EventPublisher {
    /** Publishes what it can; returns the events that could not be published, so their messages are retried. */
    List<JobEvent> publish(List<JobEvent> events);
}
