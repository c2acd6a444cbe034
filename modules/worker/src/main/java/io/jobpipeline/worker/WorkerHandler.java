package io.jobpipeline.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.aws.EventBridgePublisher;
import io.jobpipeline.core.handler.JobHandlers;
import io.jobpipeline.core.settings.Environment;
import io.jobpipeline.core.work.BatchWorker;
import io.jobpipeline.core.work.JobProcessor;
import io.jobpipeline.core.work.QueueRecord;
import io.jobpipeline.worker.fleet.InspectionSubmission;
import io.jobpipeline.worker.fleet.VehicleRegistration;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lambda on the jobs queue: runs a batch and reports only the failed records (ReportBatchItemFailures). */
public final class WorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final BatchWorker worker;

    public WorkerHandler() {
        this(System.getenv());
    }

    /** The environment as a map, so the local stack can give each function the variables the template gives it. */
    public WorkerHandler(Map<String, String> environment) {
        Environment env = new Environment(environment);
        WorkerSettings settings = WorkerSettings.from(env);
        AwsClients aws = new AwsClients(env);
        DynamoDbJobStore store = new DynamoDbJobStore(aws.dynamoDb(), settings.jobsTable());
        JobHandlers handlers = new JobHandlers(List.of(new VehicleRegistration(), new InspectionSubmission()));
        JobProcessor processor = new JobProcessor(store, store, handlers, Clock.systemUTC(), settings.maxReceiveCount());
        this.worker = new BatchWorker(processor, new EventBridgePublisher(aws.eventBridge(), settings.eventBusName()));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<QueueRecord> records = event.getRecords().stream().map(WorkerHandler::record).toList();
        // Attempts hold their jobs until this invocation would time out, no longer.
        Instant deadline = Instant.now().plusMillis(context.getRemainingTimeInMillis());
        List<SQSBatchResponse.BatchItemFailure> failures = worker.process(records, deadline).stream()
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                .toList();
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static QueueRecord record(SQSEvent.SQSMessage m) {
        Map<String, String> attributes = m.getAttributes() == null ? Map.of() : m.getAttributes();
        int receiveCount = Integer.parseInt(attributes.getOrDefault("ApproximateReceiveCount", "1"));
        return new QueueRecord(m.getMessageId(), m.getBody(), receiveCount, Optional.ofNullable(attributes.get("MessageGroupId")));
    }
}
