package io.jobpipeline.local.emulator;

import io.jobpipeline.core.Json;
import io.jobpipeline.local.template.EventBusSpec;
import io.jobpipeline.local.template.IndexSpec;
import io.jobpipeline.local.template.KeyAttribute;
import io.jobpipeline.local.template.QueueSpec;
import io.jobpipeline.local.template.ReferenceResolver;
import io.jobpipeline.local.template.StackTemplate;
import io.jobpipeline.local.template.TableSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the template's queues and tables in the emulators, and answers the template's references with the local
 * names, URLs and ARNs. Dead-letter queues are created before the queues that redrive into them.
 */
public final class LocalResources implements ReferenceResolver {
    private final StackTemplate template;
    private final String region;
    private final String accountId;
    private final Map<String, String> queueUrls = new LinkedHashMap<>();
    private final Map<String, String> queueArns = new LinkedHashMap<>();

    private LocalResources(StackTemplate template, String region, String accountId) {
        this.template = template;
        this.region = region;
        this.accountId = accountId;
    }

    public static LocalResources create(StackTemplate template, SqsClient sqs, DynamoDbClient dynamo, String region, String accountId) {
        LocalResources resources = new LocalResources(template, region, accountId);
        List<QueueSpec> ordered = new ArrayList<>(template.queues().values().stream().filter(q -> q.redrive().isEmpty()).toList());
        ordered.addAll(template.queues().values().stream().filter(q -> q.redrive().isPresent()).toList());
        for (QueueSpec queue : ordered) {
            resources.createQueue(sqs, queue);
        }
        template.tables().values().forEach(table -> createTable(dynamo, table));
        return resources;
    }

    private void createQueue(SqsClient sqs, QueueSpec queue) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(queue.visibilityTimeoutSeconds()));
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(queue.messageRetentionSeconds()));
        attributes.put(QueueAttributeName.DELAY_SECONDS, Integer.toString(queue.delaySeconds()));
        if (queue.fifo()) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, Boolean.toString(queue.contentBasedDeduplication()));
        }
        queue.redrive().ifPresent(r -> attributes.put(QueueAttributeName.REDRIVE_POLICY, Json.write(Map.of(
                "deadLetterTargetArn", queueArns.get(r.deadLetterQueueLogicalId()),
                "maxReceiveCount", r.maxReceiveCount()))));
        String url = sqs.createQueue(b -> b.queueName(queue.queueName()).attributes(attributes)).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrls.put(queue.logicalId(), url);
        queueArns.put(queue.logicalId(), arn);
    }

    private static void createTable(DynamoDbClient dynamo, TableSpec table) {
        if (dynamo.listTables().tableNames().contains(table.tableName())) {
            return; // kept from an earlier run in the data directory
        }
        Map<String, String> types = new LinkedHashMap<>();
        collect(types, table.partitionKey(), table.sortKey().orElse(null));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (IndexSpec index : table.globalSecondaryIndexes()) {
            collect(types, index.partitionKey(), index.sortKey().orElse(null));
            indexes.add(GlobalSecondaryIndex.builder().indexName(index.name())
                    .keySchema(keySchema(index.partitionKey(), index.sortKey().orElse(null)))
                    .projection(Projection.builder().projectionType(ProjectionType.fromValue(index.projectionType())).build())
                    .build());
        }
        try {
            dynamo.createTable(b -> {
                b.tableName(table.tableName()).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(types.entrySet().stream()
                                .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue()).build()).toList())
                        .keySchema(keySchema(table.partitionKey(), table.sortKey().orElse(null)));
                if (!indexes.isEmpty()) {
                    b.globalSecondaryIndexes(indexes);
                }
            });
        } catch (ResourceInUseException alreadyThere) {
            return;
        }
        table.ttlAttribute().ifPresent(ttl -> dynamo.updateTimeToLive(b -> b.tableName(table.tableName())
                .timeToLiveSpecification(t -> t.attributeName(ttl).enabled(true))));
    }

    private static void collect(Map<String, String> types, KeyAttribute hash, KeyAttribute range) {
        types.put(hash.name(), hash.type());
        if (range != null) {
            types.put(range.name(), range.type());
        }
    }

    private static List<KeySchemaElement> keySchema(KeyAttribute hash, KeyAttribute range) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(hash.name()).keyType(KeyType.HASH).build());
        if (range != null) {
            keys.add(KeySchemaElement.builder().attributeName(range.name()).keyType(KeyType.RANGE).build());
        }
        return keys;
    }

    public String queueUrl(String logicalId) {
        String url = queueUrls.get(logicalId);
        if (url == null) {
            throw new IllegalArgumentException("template.yaml has no queue " + logicalId);
        }
        return url;
    }

    public String queueArn(String logicalId) {
        return queueArns.get(logicalId);
    }

    public Map<String, String> queueUrls() {
        return Map.copyOf(queueUrls);
    }

    public String busName(String logicalId) {
        EventBusSpec bus = template.buses().get(logicalId);
        return bus == null ? logicalId : bus.name();
    }

    public String functionArn(String logicalId) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + logicalId;
    }

    @Override
    public String ref(String logicalId) {
        if (queueUrls.containsKey(logicalId)) {
            return queueUrls.get(logicalId);
        }
        if (template.tables().containsKey(logicalId)) {
            return template.tables().get(logicalId).tableName();
        }
        if (template.buses().containsKey(logicalId)) {
            return template.buses().get(logicalId).name();
        }
        if (template.functions().containsKey(logicalId)) {
            return logicalId;
        }
        return null;
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        if (queueUrls.containsKey(logicalId)) {
            return switch (attribute) {
                case "Arn" -> queueArns.get(logicalId);
                case "QueueName" -> template.queues().get(logicalId).queueName();
                case "QueueUrl" -> queueUrls.get(logicalId);
                default -> null;
            };
        }
        if (template.tables().containsKey(logicalId) && attribute.equals("Arn")) {
            return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + template.tables().get(logicalId).tableName();
        }
        if (template.buses().containsKey(logicalId)) {
            String name = template.buses().get(logicalId).name();
            return attribute.equals("Arn") ? "arn:aws:events:" + region + ":" + accountId + ":event-bus/" + name
                    : attribute.equals("Name") ? name : null;
        }
        if (template.functions().containsKey(logicalId) && attribute.equals("Arn")) {
            return functionArn(logicalId);
        }
        return null;
    }

    @Override
    public String pseudo(String name) {
        return switch (name) {
            case "AWS::Region" -> region;
            case "AWS::AccountId" -> accountId;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> template.parameters().get("AWS::StackName");
            default -> null;
        };
    }
}
