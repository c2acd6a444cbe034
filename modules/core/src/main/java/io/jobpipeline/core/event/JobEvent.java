package io.jobpipeline.core.event;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What the pipeline tells its subscribers, one record per EventBridge detail type. Each record is the event's
 * {@code detail}; {@code eventId} stays the same when the event is published again, so subscribers can drop duplicates.
 */
public sealed interface JobEvent permits JobAccepted, JobCompleted, JobFailed, JobDeadLettered {
    String SOURCE = "jobs.pipeline";

    String eventId();

    String jobId();

    String type();

    String producer();

    int attempt();

    String callbackUrl();

    @JsonIgnore
    default String detailType() {
        return getClass().getSimpleName();
    }
}
