package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * PutEvents' request limits and per-entry errors. The events carry a source no rule of the stack matches, so nothing
 * but the archive sees them.
 */
class PutEventsParityTest {
    private static final String SOURCE = "parity.putevents";

    private final ParityTarget target = ParityTarget.get();

    @Test
    void moreThanTenEntriesIsAValidationException() {
        List<PutEventsRequestEntry> eleven = IntStream.range(0, 11).mapToObj(i -> entry("{\"n\":" + i + "}")).toList();
        assertThatThrownBy(() -> target.events.putEvents(b -> b.entries(eleven)))
                .isInstanceOfSatisfying(EventBridgeException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));

        PutEventsResponse ten = target.events.putEvents(b -> b.entries(eleven.subList(0, 10)));
        assertThat(ten.failedEntryCount()).isZero();
        assertThat(ten.entries()).hasSize(10).allSatisfy(r -> assertThat(r.eventId()).isNotBlank());
    }

    @Test
    void entriesOverTheTotalSizeLimitAreAValidationException() {
        // Sizes as AWS counts them: Source + DetailType + Detail in UTF-8 (no Time, no Resources), 125,027 bytes each:
        // two are under 256 KB however it is read (256,000 or 262,144 bytes), three are over.
        PutEventsRequestEntry big = entry(detailOfSize(125_000));

        PutEventsResponse two = target.events.putEvents(b -> b.entries(big, big));
        assertThat(two.failedEntryCount()).isZero();
        assertThatThrownBy(() -> target.events.putEvents(b -> b.entries(big, big, big)))
                .isInstanceOfSatisfying(EventBridgeException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void invalidEntriesFailOneByOneWithTheirErrorCodes() {
        List<PutEventsRequestEntry> entries = List.of(
                entry("{\"ok\":1}"),
                entry("{\"ok\":2}").toBuilder().source(null).build(),
                entry("{\"ok\":3}").toBuilder().detailType(null).build(),
                entry(null),
                entry("{\"not json"),
                entry("{\"ok\":6}").toBuilder().source("aws.parity").build(),
                entry("{\"ok\":7}"));
        PutEventsResponse response = target.events.putEvents(b -> b.entries(entries));

        assertThat(response.failedEntryCount()).isEqualTo(5);
        List<PutEventsResultEntry> results = response.entries();
        assertThat(results).hasSize(entries.size());
        assertThat(results.get(0).eventId()).isNotBlank();
        assertThat(results.get(6).eventId()).isNotBlank();
        assertThat(results.subList(1, 6)).allSatisfy(r -> assertThat(r.eventId()).isNull());
        assertThat(results.subList(1, 6)).extracting(PutEventsResultEntry::errorCode).containsExactly(
                "InvalidArgument", "InvalidArgument", "InvalidArgument", "MalformedDetail", "NotAuthorizedForSourceException");
        assertThat(results.get(1).errorMessage()).contains("Source");
        assertThat(results.get(2).errorMessage()).contains("DetailType");
        assertThat(results.get(3).errorMessage()).contains("Detail");
        assertThat(results.subList(1, 6)).allSatisfy(r -> assertThat(r.errorMessage()).isNotBlank());
    }

    private PutEventsRequestEntry entry(String detail) {
        return PutEventsRequestEntry.builder().eventBusName(target.busName()).source(SOURCE).detailType("ParityProbe")
                .detail(detail).build();
    }

    /** A JSON object of exactly {@code bytes} ASCII bytes. */
    private static String detailOfSize(int bytes) {
        String frame = "{\"pad\":\"\"}";
        return "{\"pad\":\"" + String.join("", Collections.nCopies(bytes - frame.length(), "x")) + "\"}";
    }
}
