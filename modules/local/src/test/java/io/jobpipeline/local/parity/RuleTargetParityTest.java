package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A rule target's RetryPolicy and DeadLetterConfig, on the probe stack's rule ProbeFunctionProbeEvents
 * (MaximumRetryAttempts 2, a dead-letter queue): the probe function records every invocation and fails on request.
 */
class RuleTargetParityTest {

    private final ParityTarget target = ParityTarget.get();

    @Test
    void aTargetThatKeepsFailingIsRetriedThenItsEventLandsInTheRuleDeadLetterQueue() throws Exception {
        ParityProbe probe = target.probe();
        String bus = probe.stack.template().buses().get("ProbeBus").name();
        String dlq = probe.clients.sqs().getQueueUrl(b -> b.queueName("ProbeRuleDeadLetterQueue")).queueUrl();
        String failing = "rule-" + UUID.randomUUID();
        String passing = "rule-" + UUID.randomUUID();
        PutEventsResponse put = probe.clients.events().putEvents(b -> b.entries(
                e -> e.eventBusName(bus).source("parity.probe").detailType("ProbeEvent")
                        .detail(Json.write(Map.of("probe", failing, "respond", "fail"))),
                e -> e.eventBusName(bus).source("parity.probe").detailType("ProbeEvent")
                        .detail(Json.write(Map.of("probe", passing, "respond", "ok")))));
        assertThat(put.failedEntryCount()).isZero();

        Message[] dead = new Message[1];
        target.await("the failing event in the rule's dead-letter queue", () ->
                (dead[0] = receive(probe, dlq, failing).orElse(null)) != null);
        probe.clients.sqs().deleteMessage(b -> b.queueUrl(dlq).receiptHandle(dead[0].receiptHandle()));

        // One invocation and MaximumRetryAttempts (2) retries, each recorded by the probe before it failed.
        List<Map<String, AttributeValue>> invocations = probe.records(failing, "EVENT");
        assertThat(invocations).hasSize(3);
        JsonNode event = Json.tree(dead[0].body());
        assertThat(event.at("/detail/probe").asText()).isEqualTo(failing);
        assertThat(invocations).allSatisfy(i -> assertThat(i.get("eventId").s()).isEqualTo(event.get("id").asText()));

        Map<String, MessageAttributeValue> attributes = dead[0].messageAttributes();
        Rule rule = probe.clients.events().listRules(b -> b.eventBusName(bus)).rules().stream()
                .filter(r -> r.name().contains("ProbeFunctionProbeEvents")).findFirst().orElseThrow();
        assertThat(attributes.get("RULE_ARN").stringValue()).isEqualTo(rule.arn());
        assertThat(attributes.get("TARGET_ARN").stringValue()).contains(":lambda:").endsWith(":function:ProbeFunction");
        assertThat(attributes.get("ERROR_CODE").stringValue()).isNotBlank();
        assertThat(attributes.get("ERROR_MESSAGE").stringValue()).contains("probe asked to fail");
        assertThat(attributes.get("RETRY_ATTEMPTS").stringValue()).isEqualTo("2");
        assertThat(attributes.get("EXHAUSTED_RETRY_CONDITION").stringValue()).isEqualTo("MaximumRetryAttempts");

        // The event the target took in one go is neither retried nor dead-lettered.
        target.await("the passing event delivered", () -> !probe.records(passing, "EVENT").isEmpty());
        assertThat(probe.records(passing, "EVENT")).hasSize(1);
        assertThat(receive(probe, dlq, passing)).isEmpty();
    }

    /** The dead-letter message about {@code probeName}, left visible for whoever else looks. */
    private static Optional<Message> receive(ParityProbe probe, String queueUrl, String probeName) {
        return probe.clients.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                        .visibilityTimeout(0).messageAttributeNames("All")).messages().stream()
                .filter(m -> m.body().contains(probeName)).findFirst();
    }
}
