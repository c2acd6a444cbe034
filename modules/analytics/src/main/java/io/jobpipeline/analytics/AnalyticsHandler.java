package io.jobpipeline.analytics;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.DynamoDbConsumerLedger;
import io.jobpipeline.core.event.EventEnvelope;
import io.jobpipeline.core.event.JobAccepted;
import io.jobpipeline.core.event.JobCompleted;
import io.jobpipeline.core.event.JobDeadLettered;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.event.JobFailed;
import io.jobpipeline.core.port.ConsumerLedger;
import io.jobpipeline.core.port.ConsumerLedger.CountOutcome;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.settings.Environment;
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

/** Lambda on the bus's analytics rule: counts outcomes per job type and minute, once per eventId. */
public final class AnalyticsHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsHandler.class);
    static final String CONSUMER = "analytics";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

    private final ConsumerLedger ledger;

    public AnalyticsHandler() {
        this(System.getenv());
    }

    /** The environment as a map, so the local stack can give each function the variables the template gives it. */
    public AnalyticsHandler(Map<String, String> environment) {
        Environment env = new Environment(environment);
        this.ledger = new DynamoDbConsumerLedger(new AwsClients(env).dynamoDb(), env.require("JOBS_TABLE"), Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventEnvelope envelope = EventEnvelope.parse(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        if (!envelope.isJobEvent()) {
            LOG.warn("ignoring event {} of {}/{}: not a job event", envelope.id(), envelope.source(), envelope.detailType());
            return;
        }
        JobEvent event = envelope.jobEvent();
        CountOutcome count = switch (event) {
            case JobAccepted a -> new CountOutcome(a.type(), minute(a.acceptedAt()), "accepted", null);
            case JobCompleted c -> new CountOutcome(c.type(), minute(c.completedAt()), "completed",
                    c.acceptedAt() == null ? null : Math.max(0, c.completedAt().toEpochMilli() - c.acceptedAt().toEpochMilli()));
            case JobFailed f -> new CountOutcome(f.type(), minute(f.failedAt()), "failed", null);
            case JobDeadLettered d -> new CountOutcome(d.type(), minute(d.deadLetteredAt()), "deadLettered", null);
        };
        try {
            boolean counted = ledger.applyOnce(CONSUMER, event.eventId(), count);
            LOG.info("{} {} of job {}{}", count.outcome(), event.type(), event.jobId(), counted ? "" : ": duplicate, not counted");
        } catch (StoreUnavailable e) {
            // Failing the invocation makes EventBridge retry it under the rule's RetryPolicy.
            throw new IOException("could not count event " + event.eventId(), e);
        }
    }

    private static String minute(Instant at) {
        return MINUTE.format(at);
    }
}
