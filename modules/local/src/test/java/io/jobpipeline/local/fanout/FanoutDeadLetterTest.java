package io.jobpipeline.local.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.cli.PipelineCli;
import io.jobpipeline.core.Json;
import io.jobpipeline.local.SharedLocalStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A consumer that fails on every try: an event whose detail has no eventId (the handlers refuse to guess an identity
 * for it) matches both rules, fails every invocation, and after the rules' retries lands in each consumer's
 * dead-letter queue with EventBridge's attributes.
 */
class FanoutDeadLetterTest {

    @Test
    void anEventEveryInvocationFailsOnEndsInEachConsumersDeadLetterQueue() throws Exception {
        try (FanoutRig rig = new FanoutRig()) {
            String marker = publishUnidentifiable(rig);

            SqsClient sqs = rig.stack.clients().sqs();
            for (String[] consumer : new String[][] {{"NotificationsDeadLetterQueue", "NotificationFunctionJobOutcomes", "3"},
                    {"AnalyticsDeadLetterQueue", "AnalyticsFunctionAllJobEvents", "5"}}) {
                Message message = await(sqs, rig.stack.resources().queueUrl(consumer[0]), marker);
                assertThat(Json.tree(message.body()).at("/detail/marker").asText()).isEqualTo(marker);
                assertThat(message.messageAttributes().get("RULE_ARN").stringValue()).endsWith("/" + consumer[1]);
                assertThat(message.messageAttributes().get("RETRY_ATTEMPTS").stringValue()).isEqualTo(consumer[2]);
                assertThat(message.messageAttributes().get("ERROR_MESSAGE").stringValue()).contains("detail has no eventId");
                sqs.deleteMessage(b -> b.queueUrl(rig.stack.resources().queueUrl(consumer[0])).receiptHandle(message.receiptHandle()));
            }
        }
    }

    @Test
    void dlqListShowsTheEventsAFailingConsumerDeadLettered() throws Exception {
        try (FanoutRig rig = new FanoutRig()) {
            String marker = publishUnidentifiable(rig);
            SqsClient sqs = rig.stack.clients().sqs();
            String queueUrl = rig.stack.resources().queueUrl("AnalyticsDeadLetterQueue");
            await(sqs, queueUrl, marker);

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new PipelineCli(Map.of()));
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute("dlq", "list", "--sqs-endpoint", rig.stack.sqsEndpoint().toString(),
                    "--dynamodb-endpoint", rig.stack.dynamoEndpoint().toString(), "--events-endpoint",
                    rig.stack.busEndpoint().toString(), "--template", SharedLocalStack.TEMPLATE.toString());

            assertThat(exit).as(err.toString()).isZero();
            String row = out.toString().lines().filter(l -> l.startsWith("AnalyticsDeadLetterQueue")).findFirst().orElseThrow();
            // Columns: queue, source ("bus JobsEventBus (AnalyticsFunction)"), visible, in flight, oldest.
            String[] columns = row.trim().split("\\s+");
            long visible = Long.parseLong(columns[columns.length - 3]);
            long inFlight = Long.parseLong(columns[columns.length - 2]);
            assertThat(visible + inFlight).as(row).isPositive();
            assertThat(row).contains("AnalyticsFunction");
            // dlq list peeked at the queue, so the handle received above is stale: receive the message again to delete it.
            Message again = await(sqs, queueUrl, marker);
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(again.receiptHandle()));
        }
    }

    /** A JobFailed without an eventId, which every consumer invocation refuses; returns the marker in its detail. */
    private static String publishUnidentifiable(FanoutRig rig) {
        String marker = UUID.randomUUID().toString();
        Map<String, Object> detail = new LinkedHashMap<>(FanoutRig.jobFailed(FanoutRig.newJobId(), "fanout.dlq", Instant.now()));
        detail.remove("eventId");
        detail.put("marker", marker);
        rig.publish("JobFailed", detail, null);
        return marker;
    }

    /** The message carrying the marker; others are left visible for whoever owns them. */
    private static Message await(SqsClient sqs, String queueUrl, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Message> found = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                            .visibilityTimeout(0).messageAttributeNames("All")).messages().stream()
                    .filter(m -> m.body().contains(marker)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new AssertionError("no message with " + marker + " in " + queueUrl);
    }
}
