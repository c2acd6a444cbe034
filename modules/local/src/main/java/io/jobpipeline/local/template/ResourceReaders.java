package io.jobpipeline.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads queues, tables and buses from their (load-time evaluated) Properties. */
final class ResourceReaders {
    static final String QUEUE = "AWS::SQS::Queue";
    private static final int FOURTEEN_DAYS = 1_209_600;

    private ResourceReaders() {
    }

    static QueueSpec queue(String id, Props p) throws TemplateException {
        boolean fifo = p.bool("FifoQueue", false);
        String name = p.string("QueueName").orElse(fifo ? id + ".fifo" : id);
        if (fifo != name.endsWith(".fifo")) {
            throw p.fail("QueueName", fifo ? "a FIFO queue's name must end in .fifo, got '" + name + "'"
                    : "only a FIFO queue's name may end in .fifo, got '" + name + "'");
        }
        boolean dedup = p.bool("ContentBasedDeduplication", false);
        if (dedup && !fifo) {
            throw p.fail("ContentBasedDeduplication", "only a FIFO queue deduplicates (FifoQueue is not true)");
        }
        Optional<Redrive> redrive = Optional.empty();
        Optional<Props> policy = p.child("RedrivePolicy");
        if (policy.isPresent()) {
            redrive = Optional.of(new Redrive(policy.get().logicalId("deadLetterTargetArn", "Arn"),
                    policy.get().requiredInteger("maxReceiveCount", 1, 1000, null)));
        }
        return new QueueSpec(id, name, fifo, dedup,
                p.integer("VisibilityTimeout", 30, 0, 43_200, "seconds"),
                p.integer("MessageRetentionPeriod", 345_600, 60, FOURTEEN_DAYS, "seconds"),
                p.integer("DelaySeconds", 0, 0, 900, "seconds"),
                redrive);
    }

    /** AWS refuses a dead-letter queue that is missing, not a queue, or of the other kind (FIFO vs standard). */
    static void checkRedrive(QueueSpec queue, Props p, Map<String, QueueSpec> queues, Map<String, String> types)
            throws TemplateException {
        if (queue.redrive().isEmpty()) {
            return;
        }
        String dlq = queue.redrive().get().deadLetterQueueLogicalId();
        String property = "RedrivePolicy.deadLetterTargetArn";
        if (!queues.containsKey(dlq)) {
            throw p.fail(property, notA(dlq, QUEUE, types));
        }
        if (dlq.equals(queue.logicalId())) {
            throw p.fail(property, "a queue cannot be its own dead-letter queue");
        }
        if (queues.get(dlq).fifo() != queue.fifo()) {
            throw p.fail(property, dlq + " must be " + (queue.fifo() ? "a FIFO" : "a standard") + " queue like "
                    + queue.logicalId());
        }
    }

    static TableSpec table(String id, Props p) throws TemplateException {
        Map<String, String> types = new LinkedHashMap<>();
        for (Props definition : p.children("AttributeDefinitions")) {
            String type = definition.requiredString("AttributeType");
            if (!Set.of("S", "N", "B").contains(type)) {
                throw definition.fail("AttributeType", "expected S, N or B, got '" + type + "'");
            }
            types.put(definition.requiredString("AttributeName"), type);
        }
        if (!p.has("KeySchema")) {
            throw p.fail("KeySchema", "missing: a table needs a partition (HASH) key");
        }
        List<Optional<KeyAttribute>> key = keySchema(p, "KeySchema", types);
        List<IndexSpec> indexes = new ArrayList<>();
        for (Props index : p.children("GlobalSecondaryIndexes")) {
            List<Optional<KeyAttribute>> indexKey = keySchema(index, "KeySchema", types);
            String projection = index.requiredChild("Projection").requiredString("ProjectionType");
            if (!Set.of("ALL", "KEYS_ONLY", "INCLUDE").contains(projection)) {
                throw index.fail("Projection.ProjectionType", "expected ALL, KEYS_ONLY or INCLUDE, got '"
                        + projection + "'");
            }
            indexes.add(new IndexSpec(index.requiredString("IndexName"), indexKey.get(0).orElseThrow(),
                    indexKey.get(1), projection));
        }
        Optional<String> ttl = Optional.empty();
        Optional<Props> ttlSpec = p.child("TimeToLiveSpecification");
        if (ttlSpec.isPresent() && ttlSpec.get().bool("Enabled", false)) {
            ttl = Optional.of(ttlSpec.get().requiredString("AttributeName"));
        }
        return new TableSpec(id, p.string("TableName").orElse(id), key.get(0).orElseThrow(), key.get(1), indexes, ttl);
    }

    /** [HASH, RANGE] of a KeySchema; each attribute must have an AttributeDefinitions entry. */
    private static List<Optional<KeyAttribute>> keySchema(Props p, String property, Map<String, String> types)
            throws TemplateException {
        Optional<KeyAttribute> hash = Optional.empty();
        Optional<KeyAttribute> range = Optional.empty();
        for (Props element : p.children(property)) {
            String name = element.requiredString("AttributeName");
            String kind = element.requiredString("KeyType");
            if (!types.containsKey(name)) {
                throw element.fail("AttributeName", "'" + name + "' has no entry in AttributeDefinitions");
            }
            if (!kind.equals("HASH") && !kind.equals("RANGE")) {
                throw element.fail("KeyType", "expected HASH or RANGE, got '" + kind + "'");
            }
            if ((kind.equals("HASH") ? hash : range).isPresent()) {
                throw element.fail("KeyType", "a second " + kind + " key");
            }
            Optional<KeyAttribute> attribute = Optional.of(new KeyAttribute(name, types.get(name)));
            if (kind.equals("HASH")) {
                hash = attribute;
            } else {
                range = attribute;
            }
        }
        if (hash.isEmpty()) {
            throw p.fail(property, "no HASH (partition) key");
        }
        return List.of(hash, range);
    }

    /** SAM's table: one String/Number/Binary primary key, "id" String when PrimaryKey is absent. */
    static TableSpec simpleTable(String id, Props p) throws TemplateException {
        KeyAttribute key = new KeyAttribute("id", "S");
        Optional<Props> primary = p.child("PrimaryKey");
        if (primary.isPresent()) {
            String type = primary.get().requiredString("Type");
            String code = switch (type) {
                case "String" -> "S";
                case "Number" -> "N";
                case "Binary" -> "B";
                default -> throw primary.get().fail("Type", "expected String, Number or Binary, got '" + type + "'");
            };
            key = new KeyAttribute(primary.get().requiredString("Name"), code);
        }
        return new TableSpec(id, p.string("TableName").orElse(id), key, Optional.empty(), List.of(), Optional.empty());
    }

    static EventBusSpec bus(String id, Props p) throws TemplateException {
        return new EventBusSpec(id, p.requiredString("Name"));
    }

    static String notA(String id, String wantedType, Map<String, String> types) {
        return types.containsKey(id) ? id + " is an " + types.get(id) + ", not an " + wantedType
                : "no resource " + id + " in this template (expected an " + wantedType + ")";
    }
}
