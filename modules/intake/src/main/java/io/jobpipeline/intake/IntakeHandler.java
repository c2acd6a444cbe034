package io.jobpipeline.intake;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.DynamoDbConsumerLedger;
import io.jobpipeline.aws.DynamoDbIdempotencyStore;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.aws.DynamoDbStatsReader;
import io.jobpipeline.aws.SqsJobBatchQueue;
import io.jobpipeline.aws.SnapStartPriming;
import io.jobpipeline.aws.SqsJobQueue;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.contract.ContractViolation;
import io.jobpipeline.core.contract.JobContracts;
import io.jobpipeline.core.event.PublishedEvents;
import io.jobpipeline.core.intake.BatchIntake;
import io.jobpipeline.core.intake.IdempotentIntake;
import io.jobpipeline.core.intake.JobIntake;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobMessage;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.log.LogFields;
import io.jobpipeline.core.metrics.EmfJobMetrics;
import io.jobpipeline.core.port.JobStore;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.settings.Environment;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lambda behind the HTTP API: {@code POST /jobs}, {@code POST /jobs/batch}, {@code GET /jobs}, {@code GET /jobs/{id}}, {@code GET /stats}. */
public final class IntakeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);
    static final String ANONYMOUS = "anonymous";
    /** The bus's consumers whose ledgers a job's view reads (AnalyticsHandler.CONSUMER, NotificationHandler.CONSUMER). */
    static final List<String> CONSUMERS = List.of("analytics", "notifications");
    /** How long a request waits for another with its Idempotency-Key to finish before answering 409. */
    private static final Duration KEY_WAIT = Duration.ofSeconds(2);
    private static final Duration KEY_POLL = Duration.ofMillis(50);
    /** What SnapStart priming submits, with canned SDK answers. */
    private static final String PRIMING_JOB = """
            {"type": "vehicle.register", "payload": {"vehicleId": "VAN-000", "plate": "PRIME-1", "model": "SnapStart"}}""";

    private final JobStore jobs;
    private final ListRoute list;
    private final SubmitRoute submit;
    private final BatchRoute batch;
    private final StatsView stats;
    private final DynamoDbConsumerLedger ledger;
    private final Clock clock;
    private final JobContracts contracts;
    private final IntakeClients clients;
    private final IntakeSettings settings;
    /** Held here: the runtime keeps its hooks weakly. */
    private final SnapStartPriming priming;

    /** Lambda's constructor: the real environment. */
    public IntakeHandler() {
        this(System.getenv());
    }

    /** The environment as a map, so the local stack can give each function the variables the template gives it. */
    public IntakeHandler(Map<String, String> environment) {
        this(environment, new AwsClients(new Environment(environment)));
    }

    /** With the SDK clients given: tests hand in clients whose HTTP client fails chosen calls. */
    public IntakeHandler(Map<String, String> environment, AwsClients aws) {
        this.settings = IntakeSettings.from(new Environment(environment));
        this.clients = IntakeClients.of(aws);
        this.clock = Clock.systemUTC();
        this.contracts = new JobContracts();
        DynamoDbJobStore store = new DynamoDbJobStore(clients.dynamo(), settings.jobsTable());
        this.jobs = store;
        this.list = new ListRoute(store);
        JobIntake intake = new JobIntake(jobs, new SqsJobQueue(clients.sqs(), settings.jobsQueueUrl()), clock);
        IdempotentIntake keyed = new IdempotentIntake(intake, new DynamoDbIdempotencyStore(clients.dynamo(), settings.jobsTable()),
                clock, KEY_WAIT, KEY_POLL);
        this.submit = new SubmitRoute(contracts, intake, keyed);
        this.batch = new BatchRoute(contracts, new BatchIntake(jobs, new SqsJobBatchQueue(clients.sqs(), settings.jobsQueueUrl()), clock));
        this.ledger = new DynamoDbConsumerLedger(clients.dynamo(), settings.jobsTable(), clock);
        this.stats = new StatsView(new DynamoDbStatsReader(clients.dynamo(), settings.jobsTable()), clock);
        this.priming = SnapStartPriming.register("intake", aws, this::prime);
    }

    /** The hook SnapStart runs before its snapshot; the cold start bench calls it to time a primed first request. */
    public SnapStartPriming priming() {
        return priming;
    }

    /**
     * A POST /jobs without its effects: parse, screen and validate a job, look its id up (GetItem), send its message
     * (SendMessage) and write the answer, all with canned SDK answers, so nothing is stored, queued, logged or counted.
     */
    private void prime() {
        JobId id = JobId.next(clock);
        APIGatewayV2HTTPEvent request = APIGatewayV2HTTPEvent.builder().withRouteKey("POST /jobs")
                .withHeaders(Map.of("content-type", "application/json")).withBody(PRIMING_JOB).build();
        if (RequestBody.parse(request) instanceof RequestBody.Ok ok && JsonScreen.screen(ok.json(), "").isEmpty()) {
            try {
                JobRequest job = contracts.validate(ok.json());
                JobMessage message = new JobMessage(id.value(), job.type(), "snapstart-priming", job.payload(), null, clock.instant());
                jobs.find(id);
                String body = Json.write(message);
                clients.sqs().sendMessage(b -> b.queueUrl(settings.jobsQueueUrl()).messageBody(body));
            } catch (ContractViolation | StoreUnavailable e) {
                throw new IllegalStateException("the priming job no longer passes: " + e.getMessage(), e);
            }
        }
        HttpResponses.accepted(id, false);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try (LogFields fields = LogFields.of(LogFields.REQUEST_ID, context == null ? null : context.getAwsRequestId())) {
            EmfJobMetrics metrics = new EmfJobMetrics(clock);
            try {
                return route(event, context, metrics);
            } finally {
                metrics.flush();
            }
        }
    }

    private APIGatewayV2HTTPResponse route(APIGatewayV2HTTPEvent event, Context context, EmfJobMetrics metrics) {
        String route = event.getRouteKey();
        try {
            return switch (route == null ? "" : route) {
                case "POST /jobs" -> submit.submit(event, producer(event), context, metrics);
                case "POST /jobs/batch" -> batch.submit(event, producer(event), metrics);
                case "GET /jobs" -> list.list(event, producer(event));
                case "GET /jobs/{id}" -> show(event);
                case "GET /stats" -> HttpResponses.json(200, stats.lastHour());
                default -> HttpResponses.problem(Problem.of(404, "not-found", "Not Found", "no route " + route));
            };
        } catch (StoreUnavailable e) {
            LOG.warn("{}: {}", route, e.getMessage());
            return HttpResponses.problem(JobProblems.unavailable("the job store or queue cannot be reached right now"),
                    Map.of("retry-after", JobProblems.RETRY_AFTER_SECONDS));
        } catch (RuntimeException bug) {
            // A refusal the store or queue will repeat (or a bug): not worth a retry, but still an answer in our format.
            LOG.error("{} failed", route, bug);
            return HttpResponses.problem(Problem.of(500, "internal-error", "Internal Server Error",
                    "the request could not be completed; nothing was queued for it"));
        }
    }

    private APIGatewayV2HTTPResponse show(APIGatewayV2HTTPEvent event) throws StoreUnavailable {
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        Optional<Job> job = JobId.isWellFormed(id) ? jobs.find(new JobId(id)) : Optional.empty();
        // Another producer's job is as unknown as a missing one: ids do not leak across producers.
        if (job.isEmpty() || !job.get().producer().equals(producer(event))) {
            return HttpResponses.problem(Problem.of(404, "job-not-found", "Not Found", "no job " + id));
        }
        List<String> eventIds = PublishedEvents.of(job.get()).stream().map(PublishedEvents.Published::eventId).toList();
        return HttpResponses.json(200, JobView.of(job.get(), ledger.receipts(id, eventIds, CONSUMERS)));
    }

    static String producer(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return ANONYMOUS;
        }
        String sub = context.getAuthorizer().getJwt().getClaims().get("sub");
        return sub == null || sub.isBlank() ? ANONYMOUS : sub;
    }
}
