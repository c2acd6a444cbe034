package io.jobpipeline.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.AwsRetry;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.aws.EventBridgePublisher;
import io.jobpipeline.aws.SnapStartPriming;
import io.jobpipeline.aws.SqsMessageVisibility;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.JobAccepted;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.handler.JobHandler;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobMessage;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.log.LogFields;
import io.jobpipeline.core.metrics.EmfJobMetrics;
import io.jobpipeline.core.retry.Randomness;
import io.jobpipeline.core.retry.Sleeper;
import io.jobpipeline.core.settings.Environment;
import io.jobpipeline.core.work.BatchWorker;
import io.jobpipeline.core.work.JobProcessor;
import io.jobpipeline.core.work.QueueRecord;
import io.jobpipeline.core.work.Redelivery;
import io.jobpipeline.worker.fleet.InspectionSubmission;
import io.jobpipeline.worker.fleet.VehicleRegistration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda on the jobs queue: runs a batch and reports only the failed records (ReportBatchItemFailures).
 *
 * <p>Backoff on two scales. Within the invocation, AWS calls that were throttled or hit a 5xx or connection error are
 * retried with jittered exponential backoff ({@link AwsRetry}), never past the invocation's remaining time; the SDK
 * clients themselves do not retry ({@code AwsRetryStrategy.doNotRetry()}), so the two do not multiply. Across
 * deliveries, each failed message gets a visibility timeout growing with its receive count (ChangeMessageVisibility;
 * Lambda leaves it at the queue's default otherwise); a permanent failure or a dead-lettered job comes back at once,
 * on its way to the dead-letter queue.
 */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHandler.class);
    /** Kept free at the end of an invocation for publishing, visibility changes and answering; at most a fifth of it. */
    private static final Duration MAX_RESERVE = Duration.ofSeconds(3);
    /** The job message SnapStart priming reads, with canned SDK answers. */
    private static final String PRIMING_MESSAGE = """
            {"jobId": "00000000-0000-7000-8000-000000000000", "type": "vehicle.register", "producer": "snapstart-priming",
             "payload": {"vehicleId": "VAN-000", "plate": "PRIME-1", "model": "SnapStart"}, "acceptedAt": "2026-01-01T00:00:00Z"}""";

    private final WorkerSettings settings;
    private final DynamoDbJobStore store;
    private final EventBridgePublisher publisher;
    private final SqsMessageVisibility visibility;
    private final SqsClient sqs;
    private final JobHandlers handlers;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    /** Held here: the runtime keeps its hooks weakly. */
    private final SnapStartPriming priming;

    public WorkerHandler() {
        this(System.getenv());
    }

    /** The environment as a map, so the local stack can give each function the variables the template gives it. */
    public WorkerHandler(Map<String, String> environment) {
        this(environment, new AwsClients(new Environment(environment)));
    }

    /** With the SDK clients' source given: tests hand in one whose HTTP client fails chosen calls. */
    public WorkerHandler(Map<String, String> environment, AwsClients aws) {
        this(environment, aws, List.of());
    }

    /** With interceptors on every client the worker builds: request counting, injected faults. */
    public WorkerHandler(Map<String, String> environment, AwsClients aws, List<ExecutionInterceptor> interceptors) {
        this(environment, aws, interceptors, Clock.systemUTC(), Sleeper.threadSleep(), Randomness.perThread());
    }

    WorkerHandler(Map<String, String> environment, AwsClients aws, List<ExecutionInterceptor> interceptors, Clock clock,
                  Sleeper sleeper, RandomGenerator random) {
        this.settings = WorkerSettings.from(new Environment(environment));
        this.clock = clock;
        this.random = random;
        // The worker retries by itself (AwsRetry); SDK retries on top would multiply the attempts and the waits.
        ClientOverrideConfiguration noSdkRetries = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .executionInterceptors(List.copyOf(interceptors))
                .build();
        AwsRetry retry = new AwsRetry(settings.calls(), clock, sleeper, random);
        this.store = new DynamoDbJobStore(aws.dynamoDb(noSdkRetries), settings.jobsTable(), retry);
        this.publisher = new EventBridgePublisher(aws.eventBridge(noSdkRetries), settings.eventBusName(), retry);
        this.sqs = aws.sqs(noSdkRetries);
        this.visibility = new SqsMessageVisibility(sqs, retry);
        this.handlers = new JobHandlers(List.of(new VehicleRegistration(), new InspectionSubmission()));
        this.priming = SnapStartPriming.register("worker", aws, this::prime);
    }

    /** The hook SnapStart runs before its snapshot; the cold start bench calls it to time a primed first batch. */
    public SnapStartPriming priming() {
        return priming;
    }

    /**
     * A job's way through the worker without its effects, with canned SDK answers: read a job message and its payload,
     * look the job up (GetItem) and publish a JobAccepted (PutEvents); nothing is stored, published, logged or counted.
     */
    private void prime() {
        JobMessage message = Json.read(PRIMING_MESSAGE, JobMessage.class);
        handlers.forType(message.type()).map(JobHandler::payloadType).ifPresent(type -> Json.convert(message.payload(), type));
        try {
            store.find(new JobId(message.jobId()));
        } catch (StoreUnavailable e) {
            throw new IllegalStateException(e);
        }
        String eventId = JobEvents.eventId(message.jobId(), "JobAccepted", 0);
        publisher.publish(List.of(new JobAccepted(eventId, message.jobId(), message.type(), message.producer(), 0, null,
                message.acceptedAt())));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try (LogFields fields = LogFields.of(LogFields.REQUEST_ID, context.getAwsRequestId())) {
            EmfJobMetrics metrics = new EmfJobMetrics(clock);
            try {
                return handle(event, context, metrics);
            } finally {
                metrics.flush();
            }
        }
    }

    private SQSBatchResponse handle(SQSEvent event, Context context, EmfJobMetrics metrics) {
        Instant now = clock.instant();
        long remaining = context.getRemainingTimeInMillis();
        // Attempts hold their jobs until this invocation would time out, no longer; retries stop before that.
        Instant end = now.plusMillis(remaining);
        Duration reserve = Duration.ofMillis(Math.min(MAX_RESERVE.toMillis(), remaining / 5));
        DynamoDbJobStore bounded = store.until(end.minus(reserve));
        var bus = publisher.until(end.minus(reserve.dividedBy(2)));
        JobProcessor processor = new JobProcessor(bounded, bounded, handlers, clock, settings.maxReceiveCount(),
                JobProcessor.DEFAULT_LEASE, metrics, bus);
        BatchWorker worker = new BatchWorker(processor, bus, settings.redelivery(), random);

        List<SQSEvent.SQSMessage> messages = event.getRecords() == null ? List.of() : event.getRecords();
        List<Redelivery> redeliveries = worker.run(messages.stream().map(WorkerHandler::record).toList(), end);
        delay(messages, redeliveries, end.minus(reserve.dividedBy(4)));

        if (!redeliveries.isEmpty()) {
            LOG.info("batch of {}: {} message(s) come back", messages.size(), redeliveries.size());
        }
        List<SQSBatchResponse.BatchItemFailure> failures = redeliveries.stream()
                .map(r -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(r.messageId()).build())
                .toList();
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** Gives each message that comes back its visibility timeout, per queue it came from. */
    private void delay(List<SQSEvent.SQSMessage> messages, List<Redelivery> redeliveries, Instant until) {
        if (redeliveries.isEmpty()) {
            return;
        }
        Map<String, SQSEvent.SQSMessage> byId = new LinkedHashMap<>();
        messages.forEach(m -> byId.put(m.getMessageId(), m));
        Map<String, List<SqsMessageVisibility.Change>> byQueue = new LinkedHashMap<>();
        for (Redelivery r : redeliveries) {
            SQSEvent.SQSMessage m = byId.get(r.messageId());
            if (m == null || m.getReceiptHandle() == null) {
                continue;
            }
            byQueue.computeIfAbsent(m.getEventSourceArn(), arn -> new ArrayList<>())
                    .add(new SqsMessageVisibility.Change(m.getReceiptHandle(), r.visibility()));
        }
        SqsMessageVisibility bounded = visibility.until(until);
        byQueue.forEach((arn, changes) -> {
            try {
                int failed = bounded.change(queueUrl(arn), changes);
                if (failed > 0) {
                    LOG.warn("{} of {} visibility changes did not go through", failed, changes.size());
                }
            } catch (RuntimeException e) {
                LOG.warn("could not change visibility on {}: {}", arn, e.toString());
            }
        });
    }

    /** JOBS_QUEUE_URL for the jobs queue (the function's only source in the template); any other is looked up once. */
    private String queueUrl(String arn) {
        String name = arn == null ? "" : arn.substring(arn.lastIndexOf(':') + 1);
        Optional<String> jobsQueue = settings.jobsQueueUrl().filter(url -> url.endsWith("/" + name));
        if (jobsQueue.isPresent()) {
            return jobsQueue.get();
        }
        return queueUrls.computeIfAbsent(arn, a -> {
            String[] parts = a.split(":");
            String account = parts.length > 4 ? parts[4] : null;
            return sqs.getQueueUrl(b -> b.queueName(name).queueOwnerAWSAccountId(account)).queueUrl();
        });
    }

    private static QueueRecord record(SQSEvent.SQSMessage m) {
        Map<String, String> attributes = m.getAttributes() == null ? Map.of() : m.getAttributes();
        int receiveCount = Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1"));
        return new QueueRecord(m.getMessageId(), m.getBody(), receiveCount, Optional.ofNullable(attributes.get("MessageGroupId")));
    }
}
