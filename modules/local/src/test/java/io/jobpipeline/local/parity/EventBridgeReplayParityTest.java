package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.model.DescribeArchiveResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.StartReplayResponse;

/** EventBridge archive and replay (StartReplay, DescribeReplay, ListReplays, ListArchives, DescribeArchive). */
class EventBridgeReplayParityTest {

    private final ParityTarget target = ParityTarget.get();

    @Test
    void archiveReplayRedeliversEventsWithReplayName() throws Exception {
        String jobId = UUID.randomUUID().toString();
        // A second of its own, in the last hour: the replay window holds this event only (as far as the rule goes).
        Instant time = Instant.now().minusSeconds(ThreadLocalRandom.current().nextLong(120, 3_000)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> failed = JobEvents.jobFailed(jobId, JobEvents.REFUSED_CALLBACK);
        assertThat(target.events.putEvents(b -> b.entries(JobEvents.entry(target, "JobFailed", failed, time)))
                .failedEntryCount()).isZero();
        target.await("the first REFUSED attempt record", () -> JobEvents.deliveries(target, jobId).size() == 1);

        DescribeArchiveResponse archive = target.events.describeArchive(b -> b.archiveName(target.output("EventArchiveName")));
        assertThat(archive.eventSourceArn()).isEqualTo(target.busArn());
        String replayName = "parity-" + UUID.randomUUID().toString().substring(0, 8);
        String ruleArn = target.ruleArn("NotificationFunctionJobOutcomes");
        StartReplayResponse started = target.events.startReplay(b -> b.replayName(replayName)
                .eventSourceArn(archive.archiveArn()).eventStartTime(time).eventEndTime(time.plusSeconds(1))
                .destination(d -> d.arn(target.busArn()).filterArns(ruleArn)));
        assertThat(started.state()).isEqualTo(ReplayState.STARTING);
        assertThat(started.replayArn()).endsWith(":replay/" + replayName);

        target.await("replay " + replayName + " COMPLETED", () ->
                target.events.describeReplay(b -> b.replayName(replayName)).state() == ReplayState.COMPLETED);
        DescribeReplayResponse replay = target.events.describeReplay(b -> b.replayName(replayName));
        assertThat(replay.eventSourceArn()).isEqualTo(archive.archiveArn());
        assertThat(replay.destination().arn()).isEqualTo(target.busArn());
        assertThat(replay.destination().filterArns()).containsExactly(ruleArn);
        assertThat(replay.eventStartTime()).isEqualTo(time);
        assertThat(replay.eventEndTime()).isEqualTo(time.plusSeconds(1));
        assertThat(target.events.listReplays(b -> b.namePrefix(replayName)).replays())
                .singleElement().satisfies(listed -> assertThat(listed.state()).isEqualTo(ReplayState.COMPLETED));

        // The replayed copy reaches the rule's target again, marked with the replay's name.
        target.await("the replayed attempt record", () -> JobEvents.deliveries(target, jobId).size() == 2);
        List<String> replayNames = JobEvents.deliveries(target, jobId).stream()
                .map(item -> item.getOrDefault("replayName", AttributeValue.fromS("-")).s()).sorted().toList();
        assertThat(replayNames).containsExactly("-", replayName);
    }

    @Test
    void replayRequestErrorsAsAws() {
        DescribeArchiveResponse archive = target.events.describeArchive(b -> b.archiveName(target.output("EventArchiveName")));
        assertThat(target.events.listArchives(b -> b.eventSourceArn(target.busArn())).archives())
                .anySatisfy(listed -> assertThat(listed.archiveName()).isEqualTo(archive.archiveName()));
        Instant end = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        String name = "parity-errors-" + UUID.randomUUID().toString().substring(0, 8);

        assertThatThrownBy(() -> target.events.describeArchive(b -> b.archiveName("no-such-archive")))
                .isInstanceOf(ResourceNotFoundException.class);
        String missingArchive = archive.archiveArn().substring(0, archive.archiveArn().indexOf('/') + 1) + "no-such-archive";
        assertThatThrownBy(() -> target.events.startReplay(b -> b.replayName(name).eventSourceArn(missingArchive)
                .eventStartTime(end.minusSeconds(1)).eventEndTime(end).destination(d -> d.arn(target.busArn()))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> target.events.startReplay(b -> b.replayName(name).eventSourceArn(archive.archiveArn())
                .eventStartTime(end).eventEndTime(end.minusSeconds(1)).destination(d -> d.arn(target.busArn()))))
                .isInstanceOfSatisfying(EventBridgeException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> target.events.describeReplay(b -> b.replayName(name)))
                .isInstanceOf(ResourceNotFoundException.class);

        target.events.startReplay(b -> b.replayName(name).eventSourceArn(archive.archiveArn())
                .eventStartTime(end.minusSeconds(1)).eventEndTime(end).destination(d -> d.arn(target.busArn())));
        assertThatThrownBy(() -> target.events.startReplay(b -> b.replayName(name).eventSourceArn(archive.archiveArn())
                .eventStartTime(end.minusSeconds(1)).eventEndTime(end).destination(d -> d.arn(target.busArn()))))
                .isInstanceOf(ResourceAlreadyExistsException.class);
    }
}
