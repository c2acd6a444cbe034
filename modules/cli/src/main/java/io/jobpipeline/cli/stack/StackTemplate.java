package io.jobpipeline.cli.stack;

import static io.jobpipeline.cli.TemplateYaml.map;
import static io.jobpipeline.cli.TemplateYaml.referencedId;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.TemplateYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator's commands read from template.yaml: its queues (and which are dead-letter queues of what), its
 * table, bus and archive, local names (a resource's explicit name, else its logical id, as the local stack names them)
 * and the outputs that carry each resource's deployed name.
 */
public final class StackTemplate {
    /** The stack name the local stack resolves {@code AWS::StackName} to. */
    public static final String LOCAL_STACK_NAME = "job-pipeline";

    private final TemplateYaml yaml;
    private final Map<String, String> pseudo;

    private StackTemplate(TemplateYaml yaml, Map<String, String> pseudo) {
        this.yaml = yaml;
        this.pseudo = pseudo;
    }

    public static StackTemplate load(Path file, String stackName) {
        return new StackTemplate(TemplateYaml.load(file), Map.of("AWS::StackName", stackName));
    }

    public Path file() {
        return yaml.file();
    }

    /** The logical ids of the template's queues, in template order. */
    public List<String> queues() {
        return List.copyOf(yaml.resources("AWS::SQS::Queue").keySet());
    }

    public boolean hasQueue(String logicalId) {
        return yaml.resources("AWS::SQS::Queue").containsKey(logicalId);
    }

    /** The queue's name on the local stack: its QueueName, else its logical id. */
    public String localQueueName(String logicalId) {
        Object name = yaml.resources("AWS::SQS::Queue").getOrDefault(logicalId, Map.of()).get("QueueName");
        return name == null ? logicalId : yaml.resolve(name, logicalId + ".QueueName", pseudo);
    }

    /** Every dead-letter queue of the template, in template order. */
    public List<DeadLetterQueue> deadLetterQueues() {
        Map<String, DeadLetterQueue.Source> sources = new LinkedHashMap<>();
        yaml.resources("AWS::SQS::Queue").forEach((id, props) -> {
            String dlq = referencedId(map(props.get("RedrivePolicy")).get("deadLetterTargetArn"));
            if (dlq != null) {
                sources.put(dlq, new DeadLetterQueue.FromQueue(id));
            }
        });
        yaml.resources("AWS::Serverless::Function").forEach((function, props) -> {
            List<String> rules = new ArrayList<>();
            String bus = null;
            String dlq = referencedId(map(props.get("DeadLetterQueue")).get("TargetArn"));
            for (Map.Entry<String, Object> event : map(props.get("Events")).entrySet()) {
                Map<String, Object> e = map(event.getValue());
                if (!"EventBridgeRule".equals(e.get("Type"))) {
                    continue;
                }
                Map<String, Object> p = map(e.get("Properties"));
                rules.add(function + event.getKey()); // SAM's name for the rule: <Function><Event>
                bus = Optional.ofNullable(referencedId(p.get("EventBusName"))).orElse(bus);
                String ruleDlq = referencedId(map(p.get("DeadLetterConfig")).get("Arn"));
                dlq = dlq == null ? ruleDlq : dlq;
            }
            if (dlq != null && !rules.isEmpty()) {
                sources.put(dlq, new DeadLetterQueue.FromBus(bus == null ? "default" : bus, function, rules));
            }
        });
        List<DeadLetterQueue> queues = new ArrayList<>();
        for (String id : queues()) {
            if (sources.containsKey(id)) {
                queues.add(new DeadLetterQueue(id, sources.get(id)));
            }
        }
        return queues;
    }

    public Optional<DeadLetterQueue> deadLetterQueue(String logicalId) {
        return deadLetterQueues().stream().filter(q -> q.name().equals(logicalId)).findFirst();
    }

    /** The template's only table (the single-table design), by logical id. */
    public String table() {
        return only("AWS::DynamoDB::Table", "table");
    }

    public String localTableName() {
        Object name = yaml.resources("AWS::DynamoDB::Table").get(table()).get("TableName");
        return name == null ? table() : yaml.resolve(name, table() + ".TableName", pseudo);
    }

    /** The custom bus, by logical id. */
    public String bus() {
        return only("AWS::Events::EventBus", "event bus");
    }

    public String localBusName() {
        Object name = yaml.resources("AWS::Events::EventBus").get(bus()).get("Name");
        return name == null ? bus() : yaml.resolve(name, bus() + ".Name", pseudo);
    }

    /** The archive of the bus, by logical id, if the template has one. */
    public Optional<String> archive() {
        return yaml.resources("AWS::Events::Archive").keySet().stream().findFirst();
    }

    /** The archive's name: its ArchiveName, else (as the local stack names it) its logical id. */
    public Optional<String> localArchiveName() {
        return archive().map(id -> {
            Object name = yaml.resources("AWS::Events::Archive").get(id).get("ArchiveName");
            return name == null ? id : yaml.resolve(name, id + ".ArchiveName", pseudo);
        });
    }

    /**
     * The output whose value is {@code !Ref logicalId} ({@code ref}) or {@code !GetAtt logicalId.Arn} (not ref): the
     * key under which DescribeStacks gives the deployed name or URL.
     */
    public Optional<String> outputFor(String logicalId, boolean ref) {
        for (Map.Entry<String, Object> output : yaml.section("Outputs").entrySet()) {
            Object value = map(output.getValue()).get("Value");
            boolean isRef = map(value).containsKey("Ref");
            if (logicalId.equals(referencedId(value)) && isRef == ref) {
                return Optional.of(output.getKey());
            }
        }
        return Optional.empty();
    }

    private String only(String type, String what) {
        List<String> ids = List.copyOf(yaml.resources(type).keySet());
        if (ids.isEmpty()) {
            throw CliFailure.failed(yaml.file() + " has no " + what + " (" + type + ")");
        }
        return ids.get(0);
    }
}
