package io.jobpipeline.local.template;

import static io.jobpipeline.local.template.TemplateSchemaTest.TEMPLATE;
import static io.jobpipeline.local.template.TemplateSchemaTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Operators are told: every dead-letter queue and the jobs queue's oldest message have an alarm to the topic. */
class TemplateAlarmsTest {
    private static final Map<String, Object> TOPIC = Map.of("Fn::If",
            List.of("HasAlarmTopic", List.of(Map.of("Ref", "AlarmTopicArn")), Map.of("Ref", "AWS::NoValue")));

    @Test
    void everyDeadLetterQueueHasAVisibleMessagesAlarm() throws Exception {
        Map<String, Object> tree = StackTemplate.readAsJsonTree(TEMPLATE);
        Set<String> deadLetterQueues = deadLetterQueues(tree);
        assertThat(deadLetterQueues).containsExactlyInAnyOrder(
                "JobsDeadLetterQueue", "NotificationsDeadLetterQueue", "AnalyticsDeadLetterQueue");
        assertThat(queuesWithoutAlarm(tree)).isEmpty();
    }

    @Test
    void aNewDeadLetterQueueWithoutAnAlarmIsCaught() throws Exception {
        Map<String, Object> tree = StackTemplate.readAsJsonTree(TEMPLATE);
        Map<String, Object> resources = section(tree, "Resources");
        resources.put("AuditDeadLetterQueue", Map.of("Type", "AWS::SQS::Queue", "Properties", Map.of()));
        resources.put("AuditQueue", Map.of("Type", "AWS::SQS::Queue", "Properties", Map.of("RedrivePolicy",
                Map.of("deadLetterTargetArn", Map.of("Fn::GetAtt", List.of("AuditDeadLetterQueue", "Arn")),
                        "maxReceiveCount", 3))));
        assertThat(queuesWithoutAlarm(tree)).containsExactly("AuditDeadLetterQueue");

        // A function's own DeadLetterQueue counts as well.
        Map<String, Object> analytics = section(resources, "AnalyticsFunction", "Properties");
        analytics.put("DeadLetterQueue", Map.of("Type", "SQS", "TargetArn",
                Map.of("Fn::GetAtt", List.of("SpareDeadLetterQueue", "Arn"))));
        assertThat(queuesWithoutAlarm(tree)).containsExactly("AuditDeadLetterQueue", "SpareDeadLetterQueue");
    }

    @Test
    void jobsQueueAlarmsOnItsOldestMessageAgeFromAParameter() throws Exception {
        Map<String, Object> tree = StackTemplate.readAsJsonTree(TEMPLATE);
        Map<String, Object> alarm = alarmsOn(tree, "JobsQueue", "ApproximateAgeOfOldestMessage").getFirst();
        assertThat(alarm).containsEntry("Threshold", Map.of("Ref", "OldestJobAgeAlarmSeconds"))
                .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                .containsEntry("TreatMissingData", "notBreaching")
                .containsEntry("AlarmActions", TOPIC).containsEntry("OKActions", TOPIC);
        assertThat(section(tree, "Parameters", "OldestJobAgeAlarmSeconds")).containsEntry("Type", "Number");
    }

    @Test
    void theTopicIsOptional() throws Exception {
        assertThat(section(StackTemplate.readAsJsonTree(TEMPLATE), "Parameters", "AlarmTopicArn"))
                .containsEntry("Default", "");
        assertThat(section(StackTemplate.readAsJsonTree(TEMPLATE), "Conditions")).containsKey("HasAlarmTopic");
    }

    @Test
    void theLocalStackReadsTheTemplateWithAndWithoutATopic() throws Exception {
        // The alarms are AWS-only: the local stack must accept them and build the same queues either way.
        StackTemplate without = StackTemplate.load(TEMPLATE);
        StackTemplate with = StackTemplate.load(TEMPLATE,
                Map.of("AlarmTopicArn", "arn:aws:sns:eu-central-1:123456789012:pipeline-alarms"));
        assertThat(with.queues().keySet()).isEqualTo(without.queues().keySet()).contains("JobsDeadLetterQueue");
        assertThat(with.functions()).hasSize(4);
    }

    /** Dead-letter queues that have no ApproximateNumberOfMessagesVisible > 0 alarm notifying the topic. */
    static Set<String> queuesWithoutAlarm(Map<String, Object> tree) {
        Set<String> missing = new TreeSet<>();
        for (String queue : deadLetterQueues(tree)) {
            List<Map<String, Object>> alarms = alarmsOn(tree, queue, "ApproximateNumberOfMessagesVisible");
            boolean told = alarms.stream().anyMatch(a -> Integer.valueOf(0).equals(a.get("Threshold"))
                    && "GreaterThanThreshold".equals(a.get("ComparisonOperator"))
                    && "notBreaching".equals(a.get("TreatMissingData"))
                    && TOPIC.equals(a.get("AlarmActions")) && TOPIC.equals(a.get("OKActions")));
            if (!told) {
                missing.add(queue);
            }
        }
        return missing;
    }

    /** Every queue some part of the template sends its failures to: redrive targets, rule and function DLQs. */
    static Set<String> deadLetterQueues(Map<String, Object> tree) {
        Set<String> found = new TreeSet<>();
        collectDeadLetterTargets(tree.get("Resources"), found);
        return found;
    }

    private static void collectDeadLetterTargets(Object node, Set<String> out) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("deadLetterTargetArn")) {
                    arnOwner(e.getValue()).ifPresent(out::add);
                } else if ((key.equals("DeadLetterConfig") || key.equals("DeadLetterQueue")) && e.getValue() instanceof Map<?, ?> m) {
                    arnOwner(m.containsKey("Arn") ? m.get("Arn") : m.get("TargetArn")).ifPresent(out::add);
                }
                collectDeadLetterTargets(e.getValue(), out);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectDeadLetterTargets(v, out));
        }
    }

    private static java.util.Optional<String> arnOwner(Object arn) {
        if (arn instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> args && args.size() == 2) {
            return java.util.Optional.of(String.valueOf(args.get(0)));
        }
        if (arn instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof String dotted) {
            return java.util.Optional.of(dotted.substring(0, dotted.indexOf('.')));
        }
        return java.util.Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alarmsOn(Map<String, Object> tree, String queue, String metric) {
        List<Map<String, Object>> alarms = new ArrayList<>();
        Map<String, Object> queueName = Map.of("Fn::GetAtt", List.of(queue, "QueueName"));
        for (Object resource : section(tree, "Resources").values()) {
            Map<String, Object> r = (Map<String, Object>) resource;
            if (!"AWS::CloudWatch::Alarm".equals(r.get("Type"))) {
                continue;
            }
            Map<String, Object> p = (Map<String, Object>) r.get("Properties");
            if ("AWS/SQS".equals(p.get("Namespace")) && metric.equals(p.get("MetricName"))
                    && List.of(Map.of("Name", "QueueName", "Value", queueName)).equals(p.get("Dimensions"))) {
                alarms.add(p);
            }
        }
        return alarms;
    }
}
