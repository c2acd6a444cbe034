package io.jobpipeline.analytics;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.DynamoDbConsumerLedger;
import io.jobpipeline.aws.SnapStartPriming;
import io.jobpipeline.core.event.EventEnvelope;
import io.jobpipeline.core.event.JobAccepted;
import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.event.JobDeadLettered;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.event.JobFailed;
import io.jobpipeline.core.log.LogFields;
import io.jobpipeline.core.port.ConsumerLedger;
import io.jobpipeline.core.port.ConsumerLedger.CountOutcome;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.settings.Environment;
import io.jobpipeline.core.stats.JobTypeStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda on the bus's analytics rule: counts events per job type and minute (of the event's own time, so a late or
 * replayed event lands in its minute) once per eventId, and for JobCompleted adds the processing latency, acceptance
 * to completion, to the minute's latency histogram. {@code JobAccepted} (the worker publishes it with a job's first
 * outcome, and again with every later delivery, always with the same eventId) is counted as {@code accepted}, once.
 *
 * <p>An event this handler cannot read (a detail missing its ids or times) fails the invocation: it is retried and
 * then lands in the analytics dead-letter queue rather than being counted wrong or dropped silently.
 */
public final class AnalyticsHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsHandler.class);
    static final String CONSUMER = "analytics";
    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

    private final ConsumerLedger ledger;
    /** Held here: the runtime keeps its hooks weakly; none for a handler built on a ledger of the tests' own. */
    private final SnapStartPriming priming;

    public AnalyticsHandler() {
        this(System.getenv());
    }

    /** The environment as a map, so the local stack can give each function the variables the template gives it. */
    public AnalyticsHandler(Map<String, String> environment) {
        this(environment, new AwsClients(new Environment(environment)));
    }

    /** With the SDK clients' source given: tests hand in one whose HTTP client fails chosen calls. */
    public AnalyticsHandler(Map<String, String> environment, AwsClients aws) {
        this(new Environment(environment), aws);
    }

    private AnalyticsHandler(Environment env, AwsClients aws) {
        this.ledger = new DynamoDbConsumerLedger(aws.dynamoDb(), env.require("JOBS_TABLE"), Clock.systemUTC());
        this.priming = SnapStartPriming.register(CONSUMER, aws, this::prime);
    }

    AnalyticsHandler(ConsumerLedger ledger) {
        this.ledger = ledger;
        this.priming = null;
    }

    /** The hook SnapStart runs before its snapshot (null for a handler on a test ledger); the cold start bench times it. */
    public SnapStartPriming priming() {
        return priming;
    }

    /**
     * An event's way to its count without counting it, with canned SDK answers: read the envelope, work out its count
     * and look its ledger entry up (GetItem); nothing is stored or logged.
     */
    private void prime() {
        JobEvent event = EventEnvelope.parse(SnapStartPriming.PRIMING_EVENT).jobEvent();
        countOf(event);
        try {
            ledger.applied(CONSUMER, event.eventId());
        } catch (StoreUnavailable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (LogFields fields = LogFields.of(LogFields.REQUEST_ID, context == null ? null : context.getAwsRequestId())) {
            handle(input, context, fields);
        }
    }

    private void handle(InputStream input, Context context, LogFields fields) throws IOException {
        EventEnvelope envelope = EventEnvelope.parse(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        if (!envelope.isJobEvent()) {
            LOG.warn("ignoring event {} of {}/{}: not a job event", envelope.id(), envelope.source(), envelope.detailType());
            return;
        }
        JobEvent event = envelope.jobEvent();
        fields.put(LogFields.JOB_ID, event.jobId()).put(LogFields.TYPE, event.type())
                .put(LogFields.ATTEMPT, event.attempt()).put(LogFields.EVENT_ID, event.eventId());
        CountOutcome count = countOf(event);
        try {
            boolean counted = ledger.applyOnce(CONSUMER, event.eventId(), count);
            LOG.info("{} {} of job {}{}{}", count.outcome(), event.type(), event.jobId(),
                    envelope.replayName() == null ? "" : " (replay " + envelope.replayName() + ")",
                    counted ? "" : ": duplicate, not counted");
        } catch (StoreUnavailable e) {
            // Failing the invocation has it retried (see the README on retries), and finally dead-lettered.
            throw new IOException("could not count event " + event.eventId(), e);
        }
    }

    /** What an event adds to its type's minute; throws IllegalArgumentException for a detail missing what it needs. */
    static CountOutcome countOf(JobEvent event) {
        require(event.eventId(), "eventId", event);
        require(event.jobId(), "jobId", event);
        require(event.type(), "type", event);
        return switch (event) {
            case JobAccepted a -> new CountOutcome(a.type(), minute(require(a.acceptedAt(), "acceptedAt", a)), JobTypeStats.ACCEPTED, null);
            case JobCompleted c -> new CountOutcome(c.type(), minute(require(c.completedAt(), "completedAt", c)), JobTypeStats.COMPLETED,
                    c.acceptedAt() == null ? null : Math.max(0, c.completedAt().toEpochMilli() - c.acceptedAt().toEpochMilli()));
            case JobFailed f -> new CountOutcome(f.type(), minute(require(f.failedAt(), "failedAt", f)), JobTypeStats.FAILED, null);
            case JobDeadLettered d -> new CountOutcome(d.type(), minute(require(d.deadLetteredAt(), "deadLetteredAt", d)),
                    JobTypeStats.DEAD_LETTERED, null);
        };
    }

    private static <T> T require(T value, String field, JobEvent event) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException("malformed " + event.detailType() + ": detail has no " + field
                    + (event.eventId() == null ? "" : " (eventId " + event.eventId() + ")"));
        }
        return value;
    }

    private static String minute(Instant at) {
        return MINUTE.format(at);
    }
}
