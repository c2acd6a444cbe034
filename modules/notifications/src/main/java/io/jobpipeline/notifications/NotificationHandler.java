package io.jobpipeline.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.DynamoDbConsumerLedger;
import io.jobpipeline.aws.SnapStartPriming;
import io.jobpipeline.core.event.EventEnvelope;
import io.jobpipeline.core.event.JobEvent;
import io.jobpipeline.core.log.LogFields;
import io.jobpipeline.core.port.ConsumerLedger;
import io.jobpipeline.core.port.ConsumerLedger.RecordDelivery;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.settings.Environment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda on the bus's notification rule: delivers the event (the EventBridge envelope, as received) to the job's
 * callback URL as a signed webhook (Standard Webhooks, see {@link WebhookSignature}), and records every attempt as
 * {@code PK=JOB#<jobId>, SK=DELIVERY#<eventId>#<n>} (url, outcome, status, at).
 *
 * <ul>
 *   <li>Once per eventId: the consumer ledger entry is the success marker, written in one transaction with the
 *       successful attempt's record. An event whose ledger entry exists (a duplicate, or an archive replay of a
 *       delivered event) is not sent again. A replay does re-send what was never delivered with a 2xx.</li>
 *   <li>5xx, 408, 429, timeouts and connection errors are tried again within the invocation with exponential backoff
 *       and jitter, bounded by tries and a time budget; after that the invocation fails, so it is retried as a whole
 *       (Lambda's asynchronous retries in AWS, the rule's RetryPolicy locally) and finally dead-lettered.</li>
 *   <li>What another try will not change is recorded and not retried: a URL the {@link CallbackPolicy} refuses
 *       (REFUSED) and a 3xx/4xx answer (REJECTED). No ledger entry is written, so a later replay tries again.</li>
 *   <li>No callback URL (the rule routes every JobFailed and JobDeadLettered here): a NO_CALLBACK record, with the
 *       ledger entry, and a log line.</li>
 *   <li>A detail without eventId, jobId or producer fails the invocation: retried, then dead-lettered.</li>
 * </ul>
 */
public final class NotificationHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationHandler.class);
    static final String CONSUMER = "notifications";
    /** Kept free of the invocation's remaining time for the final writes. */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    /**
     * Retries within one invocation.
     *
     * @param maxTries     tries of one event per invocation
     * @param firstBackoff wait after the first failed try; doubles per try, with up to 50 % jitter added
     * @param budget       the tries and waits of one invocation stay within this
     * @param tryTimeout   longest wait for one answer (connection included)
     */
    record Retry(int maxTries, Duration firstBackoff, Duration budget, Duration tryTimeout) {
        static final Retry DEFAULT = new Retry(3, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(4));
    }

    /** Waits between tries; tests pass one that does not sleep. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ConsumerLedger ledger;
    private final WebhookSender webhooks;
    private final CallbackPolicy policy;
    private final String masterSecret;
    private final Retry retry;
    private final Clock clock;
    private final Sleeper sleeper;
    /** Held here: the runtime keeps its hooks weakly; none for a handler built on a ledger of the tests' own. */
    private final SnapStartPriming priming;

    public NotificationHandler() {
        this(System.getenv());
    }

    /** The environment as a map, so the local stack can give each function the variables the template gives it. */
    public NotificationHandler(Map<String, String> environment) {
        this(environment, new AwsClients(new Environment(environment)));
    }

    /** With the SDK clients' source given: tests hand in one whose HTTP client fails chosen calls. */
    public NotificationHandler(Map<String, String> environment, AwsClients aws) {
        this(new Environment(environment), aws);
    }

    private NotificationHandler(Environment env, AwsClients aws) {
        this(new DynamoDbConsumerLedger(aws.dynamoDb(), env.require("JOBS_TABLE"), Clock.systemUTC()),
                CallbackPolicy.from(env), env.require("WEBHOOK_SIGNING_SECRET"), Retry.DEFAULT, Clock.systemUTC(),
                d -> Thread.sleep(d), aws);
    }

    NotificationHandler(ConsumerLedger ledger, CallbackPolicy policy, String masterSecret, Retry retry, Clock clock,
                        Sleeper sleeper) {
        this(ledger, policy, masterSecret, retry, clock, sleeper, null);
    }

    private NotificationHandler(ConsumerLedger ledger, CallbackPolicy policy, String masterSecret, Retry retry, Clock clock,
                                Sleeper sleeper, AwsClients primable) {
        this.ledger = ledger;
        this.policy = policy;
        this.masterSecret = masterSecret;
        this.retry = retry;
        this.clock = clock;
        this.sleeper = sleeper;
        this.webhooks = new WebhookSender(retry.tryTimeout());
        this.priming = primable == null ? null : SnapStartPriming.register(CONSUMER, primable, this::prime);
    }

    /** The hook SnapStart runs before its snapshot (null for a handler on a test ledger); the cold start bench times it. */
    public SnapStartPriming priming() {
        return priming;
    }

    /**
     * An event's way to its webhook without sending it, with canned SDK answers: read the envelope, look its ledger
     * entry and tries up (GetItem, Query), check a callback URL and sign the body; nothing is sent, stored or logged.
     */
    private void prime() {
        JobEvent event = EventEnvelope.parse(SnapStartPriming.PRIMING_EVENT).jobEvent();
        try {
            ledger.applied(CONSUMER, event.eventId());
            ledger.deliveryAttempts(event.jobId(), event.eventId());
        } catch (StoreUnavailable e) {
            throw new IllegalStateException(e);
        }
        policy.refusal(URI.create("https://198.51.100.7/hooks/jobs")); // an address literal: no DNS lookup in the snapshot
        WebhookSignature.sign(WebhookSignature.producerKey(masterSecret, event.producer()), event.eventId(),
                clock.instant().getEpochSecond(), SnapStartPriming.PRIMING_EVENT);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (LogFields fields = LogFields.of(LogFields.REQUEST_ID, context == null ? null : context.getAwsRequestId())) {
            handle(input, context, fields);
        }
    }

    private void handle(InputStream input, Context context, LogFields fields) throws IOException {
        String body = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        EventEnvelope envelope = EventEnvelope.parse(body);
        if (!envelope.isJobEvent()) {
            LOG.warn("ignoring event {} of {}/{}: not a job event", envelope.id(), envelope.source(), envelope.detailType());
            return;
        }
        JobEvent event = envelope.jobEvent();
        fields.put(LogFields.JOB_ID, event.jobId()).put(LogFields.TYPE, event.type())
                .put(LogFields.ATTEMPT, event.attempt()).put(LogFields.EVENT_ID, event.eventId());
        for (String[] field : new String[][] {{"eventId", event.eventId()}, {"jobId", event.jobId()}, {"producer", event.producer()}}) {
            if (field[1] == null || field[1].isBlank()) {
                throw new IllegalArgumentException("malformed " + event.detailType() + " (event " + envelope.id()
                        + "): detail has no " + field[0]);
            }
        }
        try {
            deliver(event, envelope.replayName(), body, deadline(context));
        } catch (StoreUnavailable e) {
            // Failing the invocation has it retried, and finally dead-lettered.
            throw new IOException("could not record the delivery of event " + event.eventId(), e);
        }
    }

    private Instant deadline(Context context) {
        Instant deadline = clock.instant().plus(retry.budget());
        if (context != null && context.getRemainingTimeInMillis() > 0) {
            Instant invocationEnd = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(MARGIN);
            return invocationEnd.isBefore(deadline) ? invocationEnd : deadline;
        }
        return deadline;
    }

    private void deliver(JobEvent event, String replayName, String body, Instant deadline) throws StoreUnavailable, IOException {
        String via = replayName == null ? "" : " (replay " + replayName + ")";
        if (ledger.applied(CONSUMER, event.eventId())) {
            LOG.info("{} {} of job {} already delivered{}: not sent again", event.detailType(), event.eventId(), event.jobId(), via);
            return;
        }
        int attempt = ledger.deliveryAttempts(event.jobId(), event.eventId());
        String url = event.callbackUrl();
        if (url == null || url.isBlank()) {
            boolean first = ledger.applyOnce(CONSUMER, event.eventId(), record(event, "none", WebhookSender.NO_CALLBACK, 0,
                    "the job has no callbackUrl", attempt + 1, replayName));
            LOG.info("{} of job {}: no callback URL, nothing sent{}{}", event.detailType(), event.jobId(), via,
                    first ? "" : " (duplicate event)");
            return;
        }
        URI uri;
        String refusal;
        try {
            uri = URI.create(url);
            refusal = policy.refusal(uri);
        } catch (IllegalArgumentException e) {
            uri = null;
            refusal = "not a URL";
        }
        if (refusal != null) {
            ledger.recordAttempt(record(event, url, WebhookSender.REFUSED, 0, refusal, attempt + 1, replayName));
            LOG.warn("{} of job {}: callback {} refused: {}", event.detailType(), event.jobId(), url, refusal);
            return;
        }
        byte[] key = WebhookSignature.producerKey(masterSecret, event.producer());
        WebhookSender.Result result = null;
        for (int tryNo = 1; tryNo <= retry.maxTries(); tryNo++) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.toMillis() < 100) {
                break;
            }
            Duration timeout = left.compareTo(retry.tryTimeout()) < 0 ? left : retry.tryTimeout();
            result = webhooks.send(uri, event.eventId(), clock.instant().getEpochSecond(), body, key, timeout);
            attempt++;
            RecordDelivery record = record(event, url, result.outcome(), result.status(), result.detail(), attempt, replayName);
            if (result.delivered()) {
                if (!ledger.applyOnce(CONSUMER, event.eventId(), record)) {
                    // Another invocation of the same event delivered it meanwhile: the receiver got it twice (same webhook-id).
                    ledger.recordAttempt(new RecordDelivery(record.jobId(), record.eventId(), record.detailType(), record.url(),
                            record.outcome(), record.status(), "delivered twice: a concurrent duplicate recorded first",
                            record.attempt(), record.at(), record.replayName()));
                }
                LOG.info("{} of job {} delivered to {} ({}, try {}){}", event.detailType(), event.jobId(), url, result.status(), tryNo, via);
                return;
            }
            attempt = ledger.recordAttempt(record);
            if (!result.retryable()) {
                LOG.warn("{} of job {}: callback {} {}; not retried", event.detailType(), event.jobId(), url, result.detail());
                return;
            }
            LOG.info("{} of job {}: callback {} try {} {}: {}", event.detailType(), event.jobId(), url, tryNo, result.outcome(), result.detail());
            if (tryNo < retry.maxTries()) {
                Duration backoff = backoff(tryNo);
                if (clock.instant().plus(backoff).plusMillis(100).isAfter(deadline)) {
                    break;
                }
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IOException("callback " + url + " for " + event.detailType() + " " + event.eventId() + " not delivered: "
                + (result == null ? "no time left" : result.outcome() + " " + result.detail()) + "; the invocation is retried");
    }

    /** firstBackoff * 2^(tryNo-1), plus up to 50 % jitter. */
    private Duration backoff(int tryNo) {
        long base = retry.firstBackoff().toMillis() << (tryNo - 1);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private RecordDelivery record(JobEvent event, String url, String outcome, int status, String detail, int attempt,
                                  String replayName) {
        return new RecordDelivery(event.jobId(), event.eventId(), event.detailType(), url, outcome, status, detail,
                attempt, clock.instant().toString(), replayName);
    }
}
