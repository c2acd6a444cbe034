package io.jobpipeline.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobEventsTest {
    private static final String JOB = "01972ae4-0f1b-7c3d-9e8f-0123456789ab";
    private static final String OTHER_JOB = "01972ae4-0f1b-7c3d-9e8f-0123456789ac";
    private static final Instant AT = Instant.parse("2025-06-01T10:15:30.123456789Z");

    @Test
    void eventIdIsStableForTheSameJobTypeAndAttempt() {
        String id = JobEvents.eventId(JOB, "JobFailed", 2);

        assertThat(JobEvents.eventId(JOB, "JobFailed", 2)).isEqualTo(id);
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void eventIdDiffersWhenJobTypeOrAttemptDiffers() {
        String id = JobEvents.eventId(JOB, "JobFailed", 2);

        assertThat(List.of(
                JobEvents.eventId(OTHER_JOB, "JobFailed", 2),
                JobEvents.eventId(JOB, "JobDeadLettered", 2),
                JobEvents.eventId(JOB, "JobFailed", 3),
                JobEvents.eventId(JOB, "JobFailed", 0)))
                .doesNotContain(id)
                .doesNotHaveDuplicates();
    }

    static Stream<JobEvent> events() {
        JsonNode result = Json.tree("{\"vehicleId\":\"VAN-042\",\"registered\":true,\"tags\":[1,2]}");
        return Stream.of(
                new JobAccepted(JobEvents.eventId(JOB, "JobAccepted", 0), JOB, "vehicle.register", "fleet-app", 0,
                        "https://example.com/hook", AT),
                new JobCompleted(JobEvents.eventId(JOB, "JobCompleted", 0), JOB, "vehicle.register", "fleet-app", 2,
                        null, result, AT, AT.plusMillis(881), 881),
                new JobFailed(JobEvents.eventId(JOB, "JobFailed", 1), JOB, "inspection.submit", "fleet-app", 1,
                        "https://example.com/hook", "vehicle VAN-042 is not registered", true, AT),
                new JobDeadLettered(JobEvents.eventId(JOB, "JobDeadLettered", 5), JOB, "inspection.submit", "fleet-app",
                        5, null, "gave up", AT));
    }

    @ParameterizedTest
    @MethodSource("events")
    void eachEventRoundTripsThroughItsDetail(JobEvent event) {
        String json = Json.write(event);
        JobEvent back = JobEvents.fromDetail(event.detailType(), Json.tree(json));

        assertThat(back).isEqualTo(event).isInstanceOf(event.getClass());
        assertThat(back.eventId()).isEqualTo(event.eventId());
        assertThat(JobEvents.isKnown(event.detailType())).isTrue();
        assertThat(Json.tree(json).has("detailType")).as("detailType is the envelope's, not the detail's").isFalse();
    }

    @Test
    void detailTypeIsTheRecordName() {
        assertThat(events().map(JobEvent::detailType))
                .containsExactly("JobAccepted", "JobCompleted", "JobFailed", "JobDeadLettered");
    }

    @Test
    void unknownDetailTypeIsRejected() {
        assertThat(JobEvents.isKnown("Scheduled Event")).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> JobEvents.fromDetail("JobExploded", Json.tree("{}")));
    }

    @Test
    void scheduledEventParsesButIsNotAJobEvent() throws IOException {
        EventEnvelope envelope = EventEnvelope.parse(resource("events/eventbridge_scheduled_event.json"));

        assertThat(envelope.detailType()).isEqualTo("Scheduled Event");
        assertThat(envelope.source()).isEqualTo("aws.events");
        assertThat(envelope.id()).isEqualTo("fae0433b-7a0e-e383-7849-7e10153eaa47");
        assertThat(envelope.resources()).containsExactly("arn:aws:events:eu-central-1:123456789012:rule/demoschedule");
        assertThat(envelope.replayName()).isNull();
        assertThat(envelope.isJobEvent()).isFalse();
    }

    @Test
    void jobCompletedEnvelopeIsAJobEvent() throws IOException {
        EventEnvelope envelope = EventEnvelope.parse(resource("events/eventbridge_job_completed.json"));

        assertThat(envelope.isJobEvent()).isTrue();
        assertThat(envelope.replayName()).isEqualTo("replay-2025-06-02");
        assertThat(envelope.jobEvent()).isInstanceOfSatisfying(JobCompleted.class, e -> {
            assertThat(e.jobId()).isEqualTo(JOB);
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.result().get("registered").asBoolean()).isTrue();
            assertThat(e.completedAt()).isEqualTo(Instant.parse("2025-06-01T10:15:31.004Z"));
            assertThat(e.durationMs()).isEqualTo(881);
        });
    }

    @Test
    void aJobDetailTypeFromAnotherSourceIsNotAJobEvent() throws IOException {
        String json = resource("events/eventbridge_job_completed.json").replace("\"jobs.pipeline\"", "\"someone.else\"");

        assertThat(EventEnvelope.parse(json).isJobEvent()).isFalse();
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventEnvelope.parse(
                "{\"source\":\"jobs.pipeline\",\"source\":\"aws.events\",\"detail-type\":\"JobCompleted\",\"detail\":{}}"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = JobEventsTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
