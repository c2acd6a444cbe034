package io.jobpipeline.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** template.yaml against AWS's SAM schema, plus the rules of this project that no schema states. */
class TemplateSchemaTest {
    static final Path TEMPLATE = Path.of("../../template.yaml");
    private static final Path SCHEMA = Path.of("../../contracts/vendor/sam.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    @Test
    void templateMatchesTheSamSchema() throws Exception {
        assertThat(validate(StackTemplate.readAsJsonTree(TEMPLATE))).isEmpty();
    }

    @Test
    void sqsEventWithoutQueueFailsTheSchema() throws Exception {
        assertThat(validateChanged(t -> event(t, "WorkerFunction", "JobsQueueEvent").remove("Queue")))
                .extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("required property 'Queue'"));
    }

    @Test
    void unknownPropertyOfAFunctionFailsTheSchema() throws Exception {
        assertThat(validateChanged(t -> resource(t, "IntakeFunction").put("Handler", "x.Y::z")))
                .extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("'Handler' is not defined"));
        assertThat(validateChanged(t -> properties(t, "WorkerFunction").put("BatchSize", 10)))
                .extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("'BatchSize' is not defined"));
    }

    @Test
    void everyFunctionRunsFromASnapStartSnapshotOfAPublishedVersion() throws Exception {
        Map<String, Object> tree = StackTemplate.readAsJsonTree(TEMPLATE);
        Map<String, Object> globals = section(tree, "Globals", "Function");
        Map<String, Object> resources = section(tree, "Resources");
        for (String id : List.of("IntakeFunction", "WorkerFunction", "NotificationFunction", "AnalyticsFunction")) {
            Map<String, Object> own = section(resources, id, "Properties");
            // SnapStart applies to published versions only: without an alias the events would call $LATEST, unsnapped.
            assertThat(own.getOrDefault("SnapStart", globals.get("SnapStart"))).as(id)
                    .isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            assertThat(own.getOrDefault("AutoPublishAlias", globals.get("AutoPublishAlias"))).as(id).isEqualTo("live");
        }
    }

    @Test
    void noWildcardInAnyIamActionOrResource() throws Exception {
        List<Object> statements = new ArrayList<>();
        collectStatements(StackTemplate.readAsJsonTree(TEMPLATE), statements);
        assertThat(statements).hasSizeGreaterThanOrEqualTo(8);
        for (Object statement : statements) {
            Map<?, ?> s = (Map<?, ?>) statement;
            for (String key : List.of("Action", "NotAction", "Resource", "NotResource")) {
                List<String> texts = new ArrayList<>();
                collectStrings(s.get(key), texts);
                assertThat(texts).as("%s of %s", key, s).noneMatch(text -> text.contains("*"));
            }
        }
    }

    @Test
    void functionPoliciesAreExplicitStatementsOnly() throws Exception {
        Map<String, Object> resources = section(StackTemplate.readAsJsonTree(TEMPLATE), "Resources");
        for (String id : List.of("IntakeFunction", "WorkerFunction", "NotificationFunction", "AnalyticsFunction")) {
            List<?> policies = (List<?>) section(resources, id, "Properties").get("Policies");
            assertThat(policies).as(id).isNotEmpty()
                    .allSatisfy(p -> assertThat(p instanceof Map<?, ?> m && m.containsKey("Statement")).isTrue());
        }
    }

    @Test
    void everyQueueIsEncryptedAtRest() throws Exception {
        Map<String, Object> resources = section(StackTemplate.readAsJsonTree(TEMPLATE), "Resources");
        List<String> queues = resources.keySet().stream()
                .filter(id -> "AWS::SQS::Queue".equals(section(resources, id).get("Type"))).toList();
        assertThat(queues).hasSize(4);
        for (String id : queues) {
            Map<String, Object> p = section(resources, id, "Properties");
            assertThat(Boolean.TRUE.equals(p.get("SqsManagedSseEnabled")) || p.containsKey("KmsMasterKeyId"))
                    .as(id).isTrue();
        }
    }

    @Test
    void deadLetterQueuesKeepMessagesFourteenDaysLongerThanTheirSources() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE);
        List<String> deadLetterQueues = new ArrayList<>();
        for (QueueSpec q : t.queues().values()) {
            q.redrive().ifPresent(r -> {
                deadLetterQueues.add(r.deadLetterQueueLogicalId());
                assertThat(t.queues().get(r.deadLetterQueueLogicalId()).messageRetentionSeconds())
                        .isGreaterThan(q.messageRetentionSeconds());
            });
        }
        t.rules().forEach(r -> deadLetterQueues.add(r.deadLetterQueueLogicalId().orElseThrow()));
        assertThat(deadLetterQueues).containsExactlyInAnyOrder(
                "JobsDeadLetterQueue", "NotificationsDeadLetterQueue", "AnalyticsDeadLetterQueue");
        deadLetterQueues.forEach(id -> assertThat(t.queues().get(id).messageRetentionSeconds()).as(id)
                .isEqualTo(1_209_600));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachRuleMaySendOnlyToItsOwnDeadLetterQueue() throws Exception {
        Map<String, Object> resources = section(StackTemplate.readAsJsonTree(TEMPLATE), "Resources");
        for (RuleSpec rule : StackTemplate.load(TEMPLATE).rules()) {
            String dlq = rule.deadLetterQueueLogicalId().orElseThrow();
            Map<String, Object> policy = section(resources, dlq + "Policy", "Properties");
            assertThat((List<Object>) policy.get("Queues")).containsExactly(Map.of("Ref", dlq));
            String document = JSON.writeValueAsString(policy.get("PolicyDocument"));
            assertThat(document).contains("\"Service\":\"events.amazonaws.com\"")
                    .contains("\"aws:SourceArn\":{\"Fn::GetAtt\":[\"" + rule.name() + "\",\"Arn\"]}");
        }
    }

    @Test
    void tableHasPointInTimeRecoveryAndTimeToLive() throws Exception {
        Map<String, Object> table = section(section(StackTemplate.readAsJsonTree(TEMPLATE), "Resources"),
                "JobsTable", "Properties");
        assertThat(section(table, "PointInTimeRecoverySpecification")).containsEntry("PointInTimeRecoveryEnabled", true);
        assertThat(section(table, "TimeToLiveSpecification")).containsEntry("Enabled", true)
                .containsEntry("AttributeName", "expiresAt");
    }

    @Test
    @SuppressWarnings("unchecked")
    void workerReportsBatchItemFailures() throws Exception {
        assertThat((List<Object>) event(StackTemplate.readAsJsonTree(TEMPLATE), "WorkerFunction", "JobsQueueEvent")
                .get("FunctionResponseTypes")).containsExactly("ReportBatchItemFailures");
    }

    private static Set<ValidationMessage> validate(Map<String, Object> tree) {
        JsonNode node = JSON.valueToTree(tree);
        return schema.validate(node);
    }

    private static Set<ValidationMessage> validateChanged(Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> tree = StackTemplate.readAsJsonTree(TEMPLATE);
        change.accept(tree);
        return validate(tree);
    }

    private static Map<String, Object> resource(Map<String, Object> tree, String id) {
        return section(tree, "Resources", id);
    }

    private static Map<String, Object> properties(Map<String, Object> tree, String id) {
        return section(tree, "Resources", id, "Properties");
    }

    private static Map<String, Object> event(Map<String, Object> tree, String function, String event) {
        return section(tree, "Resources", function, "Properties", "Events", event, "Properties");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> section(Map<String, Object> map, String... keys) {
        Map<String, Object> at = map;
        for (String key : keys) {
            at = (Map<String, Object>) at.get(key);
            assertThat(at).as(String.join(".", keys)).isNotNull();
        }
        return at;
    }

    private static void collectStatements(Object node, List<Object> out) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("Statement") instanceof List<?> statements) {
                out.addAll(statements);
            }
            map.values().forEach(v -> collectStatements(v, out));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectStatements(v, out));
        }
    }

    /** Every string inside, intrinsic arguments included ("${JobsTable.Arn}/index/*" must not pass). */
    private static void collectStrings(Object node, List<String> out) {
        if (node instanceof String s) {
            out.add(s);
        } else if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectStrings(v, out));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectStrings(v, out));
        }
    }
}
