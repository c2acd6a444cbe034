package io.jobpipeline.core.event;

import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a job's outcomes have sent to the bus, read off its record: every outcome in the timeline was stored
 * with its event, and its message was only let go once PutEvents took the event (and the job's JobAccepted with it).
 * Event ids are made from the job id, detail type and attempt, so they can be named without storing them.
 */
public final class PublishedEvents {
    /** One event of the job: its detail type, its eventId, when it happened. */
    public record Published(String detailType, String eventId, Instant at) {}

    private PublishedEvents() {}

    public static List<Published> of(Job job) {
        String id = job.id().value();
        List<Published> events = new ArrayList<>();
        for (TimelineEntry entry : job.timeline()) {
            String detailType = switch (entry.event()) {
                case "COMPLETED" -> "JobCompleted";
                case "FAILED" -> "JobFailed";
                case "DEAD_LETTERED" -> "JobDeadLettered";
                default -> null;
            };
            if (detailType == null) {
                continue;
            }
            if (events.isEmpty()) {
                // JobAccepted goes out with the first outcome.
                events.add(new Published("JobAccepted", JobEvents.eventId(id, "JobAccepted", 0), job.createdAt()));
            }
            int attempt = detailType.equals("JobCompleted") || entry.attempt() == null ? 0 : entry.attempt();
            add(events, new Published(detailType, JobEvents.eventId(id, detailType, attempt), entry.at()));
        }
        JobEvent last = job.lastEvent();
        if (last != null) {
            // The stored event is the record's own word for its latest one, however its id was made.
            add(events, new Published(last.detailType(), last.eventId(), JobEvents.occurredAt(last)));
        }
        return events;
    }

    private static void add(List<Published> events, Published event) {
        if (events.stream().noneMatch(e -> e.eventId().equals(event.eventId()))) {
            events.add(event);
        }
    }
}
