package io.jobpipeline.local.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.core.Json;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * {@code ./pipeline events replay} against the shared local stack: events published in a second of their own are
 * replayed from the archive through StartReplay; the consumers get them again marked with the replay's name, and
 * analytics, idempotent by eventId, still counts each once. Bad windows and unknown rules change nothing, exit 2.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventsReplayTest {
    /** A private address: the notification consumer refuses it and records a REFUSED attempt per delivery. */
    private static final String REFUSED_CALLBACK = "http://10.0.0.1/events-replay";
    private static final String NOTIFICATIONS_RULE = "NotificationFunctionJobOutcomes";

    private final LocalPipeline stack = SharedLocalStack.get();
    private final OperatorCli cli = OperatorCli.shared();

    @Test
    void aWindowIsReplayedToItsRulesAndCountedOnce() throws Exception {
        String type = "replay.check-" + UUID.randomUUID().toString().substring(0, 8);
        // A second of its own, in the last hour, so the window holds these events (and little else).
        Instant time = Instant.now().minusSeconds(ThreadLocalRandom.current().nextLong(120, 3_000)).truncatedTo(ChronoUnit.SECONDS);
        List<String> jobs = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        try (EventBridgeClient events = events()) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (String job : jobs) {
                entries.add(PutEventsRequestEntry.builder().eventBusName("job-pipeline-jobs").source("jobs.pipeline")
                        .detailType("JobFailed").detail(Json.write(jobFailed(job, type))).time(time.plusMillis(100)).build());
            }
            assertThat(events.putEvents(b -> b.entries(entries)).failedEntryCount()).isZero();
        }
        for (String job : jobs) {
            await("the first delivery of " + job, () -> deliveries(job).size() == 1);
        }
        await("analytics counting " + type, () -> failed(type) == jobs.size());

        OperatorCli.Run run = cli.run("events", "replay", "--from", time.toString(), "--to", time.plusSeconds(1).toString(),
                "--pattern", "{\"detail-type\":[\"JobFailed\"]}");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String name = run.out().strip().split("\\s+")[1];
        assertThat(run.out()).startsWith("Replay cli-").contains(" COMPLETED in ")
                .contains("replayed to " + NOTIFICATIONS_RULE + ", AnalyticsFunctionAllJobEvents;");
        // Each consumer got each event again, marked with the replay: the notification consumer records a second
        // attempt carrying the replay's name ...
        for (String job : jobs) {
            await("the replayed delivery of " + job, () -> deliveries(job).size() == 2);
            assertThat(deliveries(job)).extracting(item -> item.getOrDefault("replayName", AttributeValue.fromS("-")).s())
                    .containsExactlyInAnyOrder("-", name);
        }
        // ... and analytics, which had applied them, dropped them by eventId: still one count per event.
        assertThat(stack.bus().awaitIdle(Duration.ofSeconds(20))).isTrue();
        assertThat(failed(type)).isEqualTo(jobs.size());
    }

    @Test
    void aRuleOfItsOwnGetsTheReplayAndNoOtherRule() throws Exception {
        String type = "replay.rule-" + UUID.randomUUID().toString().substring(0, 8);
        Instant time = Instant.now().minusSeconds(ThreadLocalRandom.current().nextLong(120, 3_000)).truncatedTo(ChronoUnit.SECONDS);
        String job = UUID.randomUUID().toString();
        try (EventBridgeClient events = events()) {
            assertThat(events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName("job-pipeline-jobs")
                    .source("jobs.pipeline").detailType("JobFailed").detail(Json.write(jobFailed(job, type)))
                    .time(time.plusMillis(500)).build())).failedEntryCount()).isZero();
        }
        await("the first delivery", () -> deliveries(job).size() == 1);

        OperatorCli.Run run = cli.run("events", "replay", "--from", time.toString(), "--to", time.plusSeconds(1).toString(),
                "--rule", "AnalyticsFunctionAllJobEvents", "--name", "only-analytics-" + type.substring(type.indexOf('-') + 1));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("replayed to AnalyticsFunctionAllJobEvents;");
        assertThat(stack.bus().awaitIdle(Duration.ofSeconds(20))).isTrue();
        // The notification rule was not chosen: its consumer saw the event once only.
        assertThat(deliveries(job)).hasSize(1);
        assertThat(failed(type)).isEqualTo(1);
    }

    @Test
    void badWindowsPatternsAndRulesAreOneLineAndExitTwo() {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("--from", "yesterday"), "error: --from must be a time such as 2026-11-22T10:00:00Z, a duration ago such as 2h, or now; not yesterday");
        cases.put(List.of("--from", now, "--to", now), "error: --from must be before --to, not " + now + " .. " + now);
        cases.put(List.of("--from", "1h", "--to", "2h"), "error: --from must be before --to, not ");
        cases.put(List.of("--from", "1h", "--rule", "NoSuchRule"), "error: no rule NoSuchRule on bus job-pipeline-jobs; its rules: ");
        cases.put(List.of("--from", "1h", "--pattern", "{\"detail-type\":[{\"prefix\":\"Job\"}]}"),
                "error: --pattern may only list exact values");
        cases.put(List.of("--from", "1h", "--pattern", "{\"detail-type\":[\"NoSuchEvent\"],\"source\":[\"elsewhere\"]}"),
                "error: no rule of bus job-pipeline-jobs takes an event like --pattern");
        cases.put(List.of("--from", "1h", "--pattern", "not json"), "error: --pattern must be a JSON event pattern");
        cases.put(List.of("--from", "1h", "--rule", "AnalyticsFunctionAllJobEvents", "--pattern", "{}"), "error: give --rule or --pattern, not both");
        long replaysBefore = replays();
        cases.forEach((args, line) -> {
            List<String> all = new ArrayList<>(List.of("events", "replay"));
            all.addAll(args);
            OperatorCli.Run run = cli.run(all.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.err().lines()).as(String.join(" ", args)).singleElement().asString().startsWith(line);
            assertThat(run.out()).isEmpty();
        });
        assertThat(replays()).as("replays started by bad calls").isEqualTo(replaysBefore);
    }

    private long replays() {
        try (EventBridgeClient events = events()) {
            return events.listReplays(b -> b.limit(100)).replays().size();
        }
    }

    private EventBridgeClient events() {
        return EventBridgeClient.builder().endpointOverride(stack.busEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static Map<String, Object> jobFailed(String jobId, String type) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventId", UUID.randomUUID().toString());
        detail.put("jobId", jobId);
        detail.put("type", type);
        detail.put("producer", "events-replay-test");
        detail.put("attempt", 1);
        detail.put("callbackUrl", REFUSED_CALLBACK);
        detail.put("error", "replay probe");
        detail.put("retryable", true);
        detail.put("failedAt", Instant.now().toString());
        return detail;
    }

    private List<Map<String, AttributeValue>> deliveries(String jobId) {
        return stack.clients().dynamoDb().query(b -> b.tableName("JobsTable").consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :d)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("JOB#" + jobId),
                        ":d", AttributeValue.fromS("DELIVERY#")))).items();
    }

    private long failed(String type) {
        return TestHttp.get(stack.httpEndpoint(), "/stats").json().path("jobTypes").path(type).path("failed").asLong();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(100);
        }
    }
}
