package io.jobpipeline.local.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.analytics.AnalyticsHandler;
import io.jobpipeline.aws.DynamoDbStatsReader;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.PublishedEvents;
import io.jobpipeline.core.event.PublishedEvents.Published;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.port.StatsReader.MinuteStats;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.stats.JobTypeStats;
import io.jobpipeline.local.template.FunctionSpec;
import io.jobpipeline.local.template.RuleSpec;
import io.jobpipeline.local.template.StackTemplate;
import io.jobpipeline.notifications.NotificationHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.event.ruler.GenericMachine;

/**
 * What became of the soak's jobs, from what is stored, never from what the soak believes happened: the job records,
 * the worker's count of the transactions that wrote each entity, the consumers' ledger entries and the analytics
 * counters. Which consumer should have an event is decided by the template's rules, evaluated by Event Ruler on the
 * event's envelope, as the bus decides it.
 */
final class ChaosAudit {
    /** Ledger names of the template's consumers, by handler class (each handler's CONSUMER constant). */
    private static final Map<String, String> CONSUMERS = Map.of(
            AnalyticsHandler.class.getName(), "analytics",
            NotificationHandler.class.getName(), "notifications");

    /** The audit's findings. {@code missing}: per consumer, events a rule routes to it without its ledger entry. */
    record Findings(int completed, int notCompleted, List<String> lostExamples, int appliedTwice, List<String> twiceExamples,
                    int unansweredCompletions, Map<String, Integer> missing, Map<String, Integer> expected,
                    List<String> missingExamples, boolean analyticsMatch, Map<String, String> analyticsDiff, int deadLettered) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final Map<String, String> consumerOfRule = new HashMap<>();
    private final GenericMachine<String> rules = GenericMachine.<String>builder().build();

    ChaosAudit(DynamoDbClient dynamo, String table, StackTemplate template) throws Exception {
        this.dynamo = dynamo;
        this.table = table;
        for (RuleSpec rule : template.rules()) {
            FunctionSpec target = template.functions().get(rule.targetFunctionLogicalId());
            String consumer = CONSUMERS.get(target.handlerClass());
            if (consumer == null) {
                throw new IllegalStateException("rule " + rule.name() + " targets " + target.handlerClass()
                        + ", whose ledger name the audit does not know");
            }
            rules.addRule(rule.name(), rule.patternJson());
            consumerOfRule.put(rule.name(), consumer);
        }
    }

    Findings audit(List<SoakJob> jobs, Map<String, Job> records, ChaosFaults faults) throws StoreUnavailable {
        int completed = 0;
        int deadLettered = 0;
        int twice = 0;
        int unanswered = 0;
        List<String> lost = new ArrayList<>();
        List<String> twiceExamples = new ArrayList<>();
        Map<String, Map<String, Long>> truth = new TreeMap<>();
        Map<String, List<String>> expectedByConsumer = new TreeMap<>();
        Map<String, String> eventNames = new HashMap<>();
        consumerOfRule.values().forEach(c -> expectedByConsumer.put(c, new ArrayList<>()));
        for (SoakJob job : jobs) {
            Job record = records.get(job.jobId());
            if (record == null || record.status() != JobStatus.COMPLETED) {
                lost.add(job.jobId() + " " + (record == null ? "no record" : record.status()));
                if (record == null) {
                    continue;
                }
            } else {
                completed++;
                long completions = record.timeline().stream().filter(e -> e.event().equals("COMPLETED")).count();
                int transactions = faults.transactionsThatWrote(job.entityKey());
                // The COMPLETED entry is appended in the completion's own transaction: two of them would be two commits.
                if (transactions > 1 || completions > 1) {
                    twice++;
                    twiceExamples.add(job.jobId() + " " + job.entityKey() + ": " + transactions + " transactions, "
                            + completions + " completions");
                } else if (transactions == 0 && faults.unansweredTransactionsThatWrote(job.entityKey()) > 0
                        && writtenBy(job.entityKey(), job.jobId())) {
                    unanswered++; // committed, but its answer was lost (the worker found the job COMPLETED afterwards)
                } else if (transactions == 0) {
                    lost.add(job.jobId() + " COMPLETED without its entity write " + job.entityKey());
                }
            }
            if (record.timeline().stream().anyMatch(e -> e.event().equals("DEAD_LETTERED"))) {
                deadLettered++;
            }
            for (Published event : PublishedEvents.of(record)) {
                truth.computeIfAbsent(record.type(), t -> new HashMap<>()).merge(counter(event.detailType()), 1L, Long::sum);
                eventNames.put(event.eventId(), record.id().value() + " " + event.detailType() + " (" + record.status() + ", "
                        + record.attempts() + " attempts)");
                for (String consumer : consumersOf(record, event)) {
                    expectedByConsumer.get(consumer).add(event.eventId());
                }
            }
        }
        Map<String, Integer> missing = new TreeMap<>();
        Map<String, Integer> expected = new TreeMap<>();
        List<String> missingExamples = new ArrayList<>();
        expectedByConsumer.forEach((consumer, eventIds) -> {
            Set<String> consumed = consumed(consumer, eventIds);
            List<String> absent = eventIds.stream().filter(id -> !consumed.contains(id)).toList();
            expected.put(consumer, eventIds.size());
            missing.put(consumer, absent.size());
            absent.stream().limit(3).forEach(id -> missingExamples.add(consumer + ": " + eventNames.get(id)));
        });
        Map<String, String> diff = analyticsDiff(truth);
        return new Findings(completed, lost.size(), lost.stream().limit(5).toList(), twice, twiceExamples.stream().limit(5).toList(),
                unanswered, missing, expected, missingExamples, diff.isEmpty(), diff, deadLettered);
    }

    /** Whether the entity item exists and names this job as its writer. */
    private boolean writtenBy(String partitionKey, String jobId) {
        String kind = partitionKey.substring(0, partitionKey.indexOf('#'));
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                "PK", AttributeValue.fromS(partitionKey), "SK", AttributeValue.fromS(kind)))).item();
        return item != null && item.containsKey("writtenBy") && item.get("writtenBy").s().equals(jobId);
    }

    /** The consumers whose rules match the event's envelope (the fields every job event's detail carries). */
    private Set<String> consumersOf(Job job, Published event) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.put("source", "jobs.pipeline").put("detail-type", event.detailType());
        ObjectNode detail = envelope.putObject("detail");
        detail.put("eventId", event.eventId()).put("jobId", job.id().value()).put("type", job.type()).put("producer", job.producer());
        if (job.callbackUrl() != null) {
            detail.put("callbackUrl", job.callbackUrl());
        }
        Set<String> consumers = new HashSet<>();
        try {
            rules.rulesForJSONEvent(Json.write(envelope)).forEach(rule -> consumers.add(consumerOfRule.get(rule)));
        } catch (Exception e) {
            throw new IllegalStateException("Event Ruler could not evaluate " + envelope, e);
        }
        return consumers;
    }

    private static String counter(String detailType) {
        return switch (detailType) {
            case "JobAccepted" -> JobTypeStats.ACCEPTED;
            case "JobCompleted" -> JobTypeStats.COMPLETED;
            case "JobFailed" -> JobTypeStats.FAILED;
            case "JobDeadLettered" -> JobTypeStats.DEAD_LETTERED;
            default -> throw new IllegalArgumentException("unknown detail type " + detailType);
        };
    }

    /** Ledger entries that exist, of these events of {@code consumer}; read 100 keys per BatchGetItem. */
    private Set<String> consumed(String consumer, List<String> eventIds) {
        Set<String> found = new HashSet<>();
        String prefix = "CONSUMED#" + consumer + "#";
        for (int from = 0; from < eventIds.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String id : eventIds.subList(from, Math.min(eventIds.size(), from + 100))) {
                keys.add(Map.of("PK", AttributeValue.fromS(prefix + id), "SK", AttributeValue.fromS("EVENT")));
            }
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(asked));
                response.responses().getOrDefault(table, List.of()).forEach(item -> found.add(item.get("PK").s().substring(prefix.length())));
                request = response.unprocessedKeys() == null ? Map.of() : response.unprocessedKeys();
            }
        }
        return found;
    }

    /** Per type and counter, where the analytics counts differ from the truth; empty when they agree. */
    private Map<String, String> analyticsDiff(Map<String, Map<String, Long>> truth) throws StoreUnavailable {
        DynamoDbStatsReader stats = new DynamoDbStatsReader(dynamo, table);
        Set<String> types = new HashSet<>(truth.keySet());
        types.addAll(stats.jobTypes());
        Map<String, String> diff = new TreeMap<>();
        for (String type : types) {
            JobTypeStats counted = stats.minutes(type, "0000-01-01T00:00", "9999-12-31T23:59").stream()
                    .map(MinuteStats::stats).reduce(JobTypeStats.empty(), JobTypeStats::plus);
            Map<String, Long> want = truth.getOrDefault(type, Map.of());
            compare(diff, type, JobTypeStats.ACCEPTED, want, counted.accepted());
            compare(diff, type, JobTypeStats.COMPLETED, want, counted.completed());
            compare(diff, type, JobTypeStats.FAILED, want, counted.failed());
            compare(diff, type, JobTypeStats.DEAD_LETTERED, want, counted.deadLettered());
        }
        return diff;
    }

    private static void compare(Map<String, String> diff, String type, String counter, Map<String, Long> truth, long counted) {
        long want = truth.getOrDefault(counter, 0L);
        if (want != counted) {
            diff.put(type + " " + counter, "counted " + counted + ", truth " + want);
        }
    }
}
