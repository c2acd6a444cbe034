package io.jobpipeline.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.aws.DynamoDbConsumerLedger.Receipt;
import io.jobpipeline.core.event.PublishedEvents;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.TimelineEntry;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /jobs/{id}} answers: the job without its internals (payload stays with the producer), its timeline,
 * and its journey on the bus: each event its outcomes published and what each consumer did with it.
 */
record JobView(String jobId, String type, String status, int attempts, Instant createdAt, Instant updatedAt,
               Instant completedAt, JsonNode result, String lastError, String callbackUrl, List<TimelineEntry> timeline,
               List<EventView> events) {

    /** One published event; {@code consumers}: who applied it (once), {@code deliveries}: webhook attempts. */
    record EventView(String detailType, String eventId, Instant at, List<ConsumerView> consumers,
                     List<DeliveryView> deliveries) {}

    record ConsumerView(String consumer, String appliedAt) {}

    record DeliveryView(int attempt, String outcome, Integer status, String at, String detail) {}

    static JobView of(Job job, List<Receipt> receipts) {
        List<EventView> events = PublishedEvents.of(job).stream().map(e -> new EventView(e.detailType(), e.eventId(), e.at(),
                receipts.stream().filter(r -> r.eventId().equals(e.eventId()) && "APPLIED".equals(r.outcome()))
                        .map(r -> new ConsumerView(r.consumer(), r.at())).toList(),
                receipts.stream().filter(r -> r.eventId().equals(e.eventId()) && r.attempt() != null)
                        .sorted(java.util.Comparator.comparing(Receipt::attempt))
                        .map(r -> new DeliveryView(r.attempt(), r.outcome(), r.status(), r.at(), r.detail())).toList()))
                .toList();
        return new JobView(job.id().value(), job.type(), job.status().name(), job.attempts(), job.createdAt(),
                job.updatedAt(), job.completedAt(), job.result(), job.lastError(), job.callbackUrl(), job.timeline(), events);
    }
}
