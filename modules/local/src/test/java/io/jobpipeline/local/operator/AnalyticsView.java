package io.jobpipeline.local.operator;

import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.TestHttp;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What the analytics consumer has counted and consumed, as the operator tests check it after a replay. */
final class AnalyticsView {
    private final LocalPipeline stack;

    AnalyticsView(LocalPipeline stack) {
        this.stack = stack;
    }

    /** {@code GET /stats}: the jobs of {@code type} counted completed in the last hour. */
    long completed(String type) {
        return TestHttp.get(stack.httpEndpoint(), "/stats").json().path("jobTypes").path(type).path("completed").asLong();
    }

    /** Until the analytics consumer's ledger holds the event (it counted it), or 20 s pass. */
    void awaitConsumed(String eventId) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            if (stack.clients().dynamoDb().getItem(b -> b.tableName("JobsTable").consistentRead(true).key(Map.of(
                    "PK", AttributeValue.fromS("CONSUMED#analytics#" + eventId), "SK", AttributeValue.fromS("EVENT")))).hasItem()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("analytics never consumed " + eventId);
    }
}
