package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Lambda's SQS event source mapping, seen through what the probe function records in its table: the probe template
 * maps ProbeQueue with BatchSize 4, MaximumBatchingWindowInSeconds 2, ReportBatchItemFailures, MaximumConcurrency 2.
 */
class EventSourceMappingParityTest {

    private final ParityTarget target = ParityTarget.get();

    @Test
    void batchSizeCapsTheRecordsOfEachInvocation() throws Exception {
        ParityProbe probe = target.probe();
        String name = send(probe, 10, "ok", 0).probe();
        target.await("all 10 records delivered", () -> messageIds(probe.records(name, "BATCH")).size() == 10);
        List<Map<String, AttributeValue>> batches = probe.records(name, "BATCH");
        assertThat(batches).allSatisfy(batch -> assertThat(Integer.parseInt(batch.get("size").n())).isBetween(1, 4));
        assertThat(batches.size()).as("records are batched, not one per invocation").isLessThan(10);
    }

    @Test
    void batchingWindowHoldsAnIncompleteBatchUntilItEnds() throws Exception {
        ParityProbe probe = target.probe();
        Sent sent = send(probe, 1, "ok", 0);
        target.await("the record delivered", () -> !probe.records(sent.probe(), "BATCH").isEmpty());
        long startedAt = Long.parseLong(probe.records(sent.probe(), "BATCH").getFirst().get("startedAt").n());
        // One record of a batch of 4: Lambda gathers for the whole 2 s window before it invokes.
        assertThat(startedAt - sent.sentAtMillis()).isGreaterThanOrEqualTo(1_900);
    }

    @Test
    void reportBatchItemFailuresRedeliversOnlyTheListedMessages() throws Exception {
        ParityProbe probe = target.probe();
        String name = "esm-" + UUID.randomUUID();
        List<String> ids = sendBodies(probe, List.of(body(name, "fail", 0), body(name, "ok", 0), body(name, "ok", 0)));
        String failing = ids.getFirst();
        target.await("the failed record delivered again", () -> receiveCounts(probe.records(name, "BATCH"), failing).size() == 2);
        List<Map<String, AttributeValue>> batches = probe.records(name, "BATCH");
        assertThat(receiveCounts(batches, failing)).containsExactly("1", "2");
        assertThat(receiveCounts(batches, ids.get(1))).containsExactly("1");
        assertThat(receiveCounts(batches, ids.get(2))).containsExactly("1");
    }

    @Test
    void malformedBatchResponseFailsTheWholeBatch() throws Exception {
        assertWholeBatchFailsOn("malformed");
    }

    @Test
    void emptyItemIdentifierFailsTheWholeBatch() throws Exception {
        assertWholeBatchFailsOn("empty-id");
    }

    @Test
    void maximumConcurrencyCapsConcurrentInvocations() throws Exception {
        ParityProbe probe = target.probe();
        String name = send(probe, 10, "ok", 700).probe();
        target.await("all 10 records delivered", () -> messageIds(probe.records(name, "BATCH")).size() == 10);
        List<long[]> runs = probe.records(name, "BATCH").stream()
                .map(r -> new long[] {Long.parseLong(r.get("startedAt").n()), Long.parseLong(r.get("endedAt").n())}).toList();
        int most = 0;
        for (long[] run : runs) {
            most = Math.max(most, (int) runs.stream().filter(o -> o[0] <= run[0] && run[0] < o[1]).count());
        }
        assertThat(most).as("invocations running at once").isBetween(1, 2);
    }

    /** Every record asks for the bad answer: the batches of several records get it, and all their records come back. */
    private void assertWholeBatchFailsOn(String respond) throws Exception {
        ParityProbe probe = target.probe();
        String name = send(probe, 4, respond, 0).probe();
        target.await("all 4 records delivered", () -> messageIds(probe.records(name, "BATCH")).size() == 4);
        List<String> answered = probe.records(name, "BATCH").stream()
                .filter(b -> b.get("receiveCounts").l().stream().allMatch(c -> c.s().equals("1")))
                .filter(b -> b.get("messageIds").l().size() > 1)
                .flatMap(b -> b.get("messageIds").l().stream()).map(AttributeValue::s).toList();
        // 4 records, at most 2 pollers gathering for 2 s: at least one batch holds several.
        assertThat(answered).as("records of batches answered with a bad response").isNotEmpty();
        for (String id : answered) {
            target.await("record " + id + " of the failed batch delivered again",
                    () -> receiveCounts(probe.records(name, "BATCH"), id).size() == 2);
        }
    }

    record Sent(String probe, long sentAtMillis) {
    }

    private static Sent send(ParityProbe probe, int count, String respond, long sleepMs) {
        String name = "esm-" + UUID.randomUUID();
        long sentAt = System.currentTimeMillis();
        sendBodies(probe, IntStream.range(0, count).mapToObj(i -> body(name, respond, sleepMs)).toList());
        return new Sent(name, sentAt);
    }

    private static List<String> sendBodies(ParityProbe probe, List<String> bodies) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies.get(i)).build());
            }
            SendMessageBatchResponse sent = probe.clients.sqs().sendMessageBatch(b -> b.queueUrl(probe.queueUrl).entries(entries));
            assertThat(sent.failed()).isEmpty();
            sent.successful().stream().sorted((a, b) -> Integer.compare(Integer.parseInt(a.id().substring(1)),
                    Integer.parseInt(b.id().substring(1)))).forEach(ok -> ids.add(ok.messageId()));
        }
        return ids;
    }

    private static String body(String probe, String respond, long sleepMs) {
        return Json.write(Map.of("probe", probe, "respond", respond, "sleepMs", sleepMs));
    }

    private static List<String> messageIds(Collection<Map<String, AttributeValue>> batches) {
        return batches.stream().flatMap(b -> b.get("messageIds").l().stream()).map(AttributeValue::s).distinct().toList();
    }

    /** The ApproximateReceiveCount of each delivery of one message, in delivery order. */
    private static List<String> receiveCounts(List<Map<String, AttributeValue>> batches, String messageId) {
        List<String> counts = new ArrayList<>();
        for (Map<String, AttributeValue> batch : batches) {
            List<AttributeValue> ids = batch.get("messageIds").l();
            int at = ids.indexOf(AttributeValue.fromS(messageId));
            if (at >= 0) {
                counts.add(batch.get("receiveCounts").l().get(at).s());
            }
        }
        return counts;
    }
}
