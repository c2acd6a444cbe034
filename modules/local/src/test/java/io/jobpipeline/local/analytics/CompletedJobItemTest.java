package io.jobpipeline.local.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.port.EntityWrite;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A completed job's item holds its result once (the stored JobCompleted gets it back when read), so the event a
 * redelivery republishes is the one first sent, and the item stays smaller (writes are billed per KB of it).
 */
class CompletedJobItemTest {
    private final LocalPipeline stack = SharedLocalStack.get();
    private final DynamoDbClient dynamo = stack.clients().dynamoDb();
    private final String table = stack.resources().ref("JobsTable");

    @Test
    void theStoredCompletionEventComesBackWholeWithTheResultStoredOnce() throws Exception {
        DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table);
        Instant now = Instant.parse("2026-11-22T10:15:00.123Z");
        JobId id = JobId.next(Clock.systemUTC());
        var payload = Json.tree("{\"vehicleId\":\"VAN-1\",\"driverId\":\"D-1\",\"odometerKm\":12000,\"items\":[{\"name\":\"brakes\",\"ok\":true}]}");
        store.create(Job.accepted(id, new JobRequest("inspection.submit", payload, "https://example.com/hook", null), "fleet-app", now));
        Job running = store.startAttempt(id, 1, now.plusMillis(5), now.plusSeconds(30));
        var result = Json.tree("{\"vehicleId\":\"VAN-1\",\"roadworthy\":false,\"failedItems\":[\"lights\"]}");
        JobCompleted completed = new JobCompleted(JobEvents.eventId(id.value(), "JobCompleted", 1), id.value(), "inspection.submit",
                "fleet-app", 1, "https://example.com/hook", result, now, now.plusMillis(40), 35);
        store.complete(running, result, List.of(new EntityWrite("inspection", id.value(), result)), completed, now.plusMillis(40));

        Job read = store.find(id).orElseThrow();
        assertThat(read.lastEvent()).isEqualTo(completed);
        assertThat(read.result()).isEqualTo(result);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("PK", AttributeValue.fromS("JOB#" + id.value()), "SK", AttributeValue.fromS("JOB")))).item();
        assertThat(item.get("lastEvent").m().get("detail").s()).doesNotContain("roadworthy");
        assertThat(item.get("result").s()).contains("roadworthy");
    }
}
