package io.jobpipeline.aws;

import static io.jobpipeline.aws.JobItems.s;

import io.jobpipeline.core.port.StatsReader;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.stats.JobTypeStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the analytics counts: per job type and minute the items {@code STATS#<type>} / {@code MINUTE#<minute>} and
 * {@code MINUTE#<minute>#L<g>}, whose numeric attributes are the outcome counters, {@code latencySumMs} and the latency
 * histogram's {@code lat_b<k>} bucket counters (see {@link DynamoDbConsumerLedger}); a minute is their sum.
 */
public final class DynamoDbStatsReader implements StatsReader {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbStatsReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<MinuteStats> minutes(String jobType, String fromMinute, String toMinute) throws StoreUnavailable {
        try {
            // A minute's items: MINUTE#<minute> and its slices MINUTE#<minute>#L<g>, which sort after it ('~' after them all).
            Map<String, JobTypeStats> byMinute = new java.util.TreeMap<>();
            var pages = dynamo.queryPaginator(b -> b.tableName(table)
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", s("STATS#" + jobType),
                            ":from", s("MINUTE#" + fromMinute), ":to", s("MINUTE#" + toMinute + "#~"))));
            for (Map<String, AttributeValue> item : pages.items()) {
                Map<String, Long> counters = new HashMap<>();
                item.forEach((name, value) -> {
                    if (value.n() != null) {
                        counters.put(name, Long.parseLong(value.n()));
                    }
                });
                String minute = item.get("SK").s().substring("MINUTE#".length()).split("#", 2)[0];
                byMinute.merge(minute, JobTypeStats.fromCounters(counters), JobTypeStats::plus);
            }
            List<MinuteStats> result = new ArrayList<>();
            byMinute.forEach((minute, stats) -> result.add(new MinuteStats(jobType, minute, stats)));
            return result;
        } catch (SdkException e) {
            throw AwsFaults.unavailable("reading stats of " + jobType, e);
        }
    }

    @Override
    public List<String> jobTypes() throws StoreUnavailable {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Map.of("PK", s("STATS"), "SK", s("TYPES")))).item();
            if (item == null || !item.containsKey("jobTypes")) {
                return List.of();
            }
            return item.get("jobTypes").ss().stream().sorted().toList();
        } catch (SdkException e) {
            throw AwsFaults.unavailable("reading job types", e);
        }
    }
}
