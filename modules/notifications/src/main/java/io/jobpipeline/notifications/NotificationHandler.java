package io.jobpipeline.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.DynamoDbConsumerLedger;
import io.jobpipeline.core.event.EventEnvelope;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.port.ConsumerLedger;
import io.jobpipeline.core.port.ConsumerLedger.RecordDelivery;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.settings.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda on the bus's notification rule. Receives the EventBridge envelope as Lambda passes it (raw JSON), delivers the
 * job's outcome to its callback URL, and records the delivery once per eventId.
 */
public final class NotificationHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationHandler.class);
    static final String CONSUMER = "notifications";

    private final ConsumerLedger ledger;
    private final WebhookSender webhooks;
    private final Clock clock;

    public NotificationHandler() {
        this(System.getenv());
    }

    /** The environment as a map, so the local stack can give each function the variables the template gives it. */
    public NotificationHandler(Map<String, String> environment) {
        Environment env = new Environment(environment);
        String table = env.require("JOBS_TABLE");
        this.clock = Clock.systemUTC();
        this.ledger = new DynamoDbConsumerLedger(new AwsClients(env).dynamoDb(), table, clock);
        this.webhooks = new WebhookSender(CallbackPolicy.from(env));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventEnvelope envelope = EventEnvelope.parse(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        if (!envelope.isJobEvent()) {
            LOG.warn("ignoring event {} of {}/{}: not a job event", envelope.id(), envelope.source(), envelope.detailType());
            return;
        }
        JobEvent event = envelope.jobEvent();
        WebhookSender.Result result = event.callbackUrl() == null
                ? WebhookSender.Result.noCallback()
                : webhooks.deliver(event.callbackUrl(), envelope);
        try {
            boolean first = ledger.applyOnce(CONSUMER, event.eventId(), new RecordDelivery(event.jobId(), event.eventId(),
                    event.detailType(), event.callbackUrl() == null ? "none" : event.callbackUrl(), result.outcome(),
                    result.status(), 1, clock.instant().toString()));
            LOG.info("delivery of {} for job {}: {}{}", event.detailType(), event.jobId(), result.outcome(), first ? "" : " (duplicate event)");
        } catch (StoreUnavailable e) {
            // Failing the invocation makes EventBridge retry it under the rule's RetryPolicy.
            throw new IOException("could not record delivery of event " + event.eventId(), e);
        }
        if (result.retryable()) {
            throw new IOException("callback " + event.callbackUrl() + " answered " + result.outcome() + "; EventBridge will retry");
        }
    }
}
