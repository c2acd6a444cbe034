package io.jobpipeline.local.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.aws.DynamoDbConsumerLedger;
import io.jobpipeline.aws.DynamoDbStatsReader;
import io.jobpipeline.core.port.ConsumerLedger.CountOutcome;
import io.jobpipeline.core.port.StatsReader.MinuteStats;
import io.jobpipeline.core.stats.JobTypeStats;
import io.jobpipeline.core.stats.LatencyHistogram;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The analytics counters against DynamoDB Local: a minute whose completions spread over hundreds of latency buckets
 * still reads back as exact counts and the same histogram, a duplicate changes nothing, and no counter item grows past
 * 1 KB (a write is billed per KB of the whole item: the cost bench's reason for slicing the histogram).
 */
class AnalyticsLayoutTest {
    private final LocalPipeline stack = SharedLocalStack.get();
    private final DynamoDbClient dynamo = stack.clients().dynamoDb();
    private final String table = stack.resources().ref("JobsTable");

    @Test
    void aMinuteOfWidelySpreadLatenciesReadsBackExactlyFromItemsUnderOneKilobyte() throws Exception {
        DynamoDbConsumerLedger ledger = new DynamoDbConsumerLedger(dynamo, table, Clock.systemUTC());
        String type = "layout.test-" + UUID.randomUUID();
        String minute = "2026-11-22T10:15";
        Random random = new Random(8);
        LatencyHistogram truth = new LatencyHistogram();
        long sum = 0;
        for (int i = 0; i < 300; i++) {
            long latency = (long) Math.exp(random.nextDouble() * 14); // 1 ms .. 20 min: ~350 buckets
            truth.record(latency);
            sum += latency;
            assertThat(ledger.applyOnce("analytics", "e" + i, new CountOutcome(type, minute, JobTypeStats.COMPLETED, latency))).isTrue();
        }
        for (int i = 0; i < 5; i++) {
            ledger.applyOnce("analytics", "a" + i, new CountOutcome(type, minute, JobTypeStats.ACCEPTED, null));
        }
        // Redelivered: already counted, so nothing changes.
        assertThat(ledger.applyOnce("analytics", "e7", new CountOutcome(type, minute, JobTypeStats.COMPLETED, 5L))).isFalse();

        List<MinuteStats> read = new DynamoDbStatsReader(dynamo, table).minutes(type, minute, minute);
        assertThat(read).hasSize(1);
        JobTypeStats stats = read.getFirst().stats();
        assertThat(stats.completed()).isEqualTo(300);
        assertThat(stats.accepted()).isEqualTo(5);
        assertThat(stats.latencySumMs()).isEqualTo(sum);
        assertThat(stats.latency().count()).isEqualTo(300);
        for (double q : new double[] {0.01, 0.5, 0.95, 0.99}) {
            assertThat(stats.latency().percentile(q)).isEqualTo(truth.percentile(q));
        }
        assertThat(new DynamoDbStatsReader(dynamo, table).jobTypes()).contains(type);

        var items = dynamo.query(b -> b.tableName(table).keyConditionExpression("PK = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("STATS#" + type)))).items();
        assertThat(items).hasSizeGreaterThan(2);
        for (var item : items) {
            assertThat(size(item)).as("item %s", item.get("SK").s()).isLessThanOrEqualTo(1024);
        }
    }

    /** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers about a byte per two digits + 1). */
    private static int size(Map<String, AttributeValue> item) {
        int bytes = 0;
        for (var e : item.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length;
            AttributeValue v = e.getValue();
            bytes += v.s() != null ? v.s().getBytes(StandardCharsets.UTF_8).length : (v.n().length() + 1) / 2 + 1;
        }
        return bytes;
    }
}
