package io.jobpipeline.intake;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.aws.DynamoDbStatsReader;
import io.jobpipeline.aws.SqsJobQueue;
import io.jobpipeline.core.contract.ContractViolation;
import io.jobpipeline.core.contract.JobContracts;
import io.jobpipeline.core.intake.JobIntake;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.port.JobStore;
import io.jobpipeline.core.port.StoreUnavailable;
import io.jobpipeline.core.settings.Environment;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Lambda behind the HTTP API: {@code POST /jobs}, {@code GET /jobs/{id}}, {@code GET /stats}. */
public final class IntakeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);
    static final String ANONYMOUS = "anonymous";

    private final JobContracts contracts;
    private final JobIntake intake;
    private final JobStore jobs;
    private final StatsView stats;

    /** Lambda's constructor: the real environment. */
    public IntakeHandler() {
        this(System.getenv());
    }

    /** The environment as a map, so the local stack can give each function the variables the template gives it. */
    public IntakeHandler(Map<String, String> environment) {
        Environment env = new Environment(environment);
        IntakeSettings settings = IntakeSettings.from(env);
        AwsClients aws = new AwsClients(env);
        DynamoDbClient dynamo = aws.dynamoDb();
        Clock clock = Clock.systemUTC();
        this.contracts = new JobContracts();
        this.jobs = new DynamoDbJobStore(dynamo, settings.jobsTable());
        this.intake = new JobIntake(jobs, new SqsJobQueue(aws.sqs(), settings.jobsQueueUrl()), clock);
        this.stats = new StatsView(new DynamoDbStatsReader(dynamo, settings.jobsTable()), clock);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String route = event.getRouteKey();
        try {
            return switch (route == null ? "" : route) {
                case "POST /jobs" -> submit(event);
                case "GET /jobs/{id}" -> show(event);
                case "GET /stats" -> HttpResponses.json(200, stats.lastHour());
                default -> HttpResponses.problem(Problem.of(404, "not-found", "Not Found", "no route " + route));
            };
        } catch (StoreUnavailable e) {
            LOG.warn("{}: {}", route, e.getMessage());
            return HttpResponses.problem(Problem.of(503, "unavailable", "Service Unavailable",
                    "the job store or queue cannot be reached right now; nothing was queued, try again"), Map.of("retry-after", "1"));
        }
    }

    private APIGatewayV2HTTPResponse submit(APIGatewayV2HTTPEvent event) throws StoreUnavailable {
        RequestBody.Parsed parsed = RequestBody.parse(event);
        if (parsed instanceof RequestBody.Rejected rejected) {
            return HttpResponses.problem(rejected.problem());
        }
        JobRequest request;
        try {
            request = contracts.validate(((RequestBody.Ok) parsed).json());
        } catch (ContractViolation v) {
            return HttpResponses.problem(Problem.invalid(422, "invalid-job", "Invalid Job", v.getMessage(), v.violations()));
        }
        Job job = intake.accept(request, producer(event));
        String statusUrl = "/jobs/" + job.id();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobId", job.id().value());
        body.put("status", job.status().name());
        body.put("statusUrl", statusUrl);
        return HttpResponses.json(202, body, Map.of("location", statusUrl));
    }

    private APIGatewayV2HTTPResponse show(APIGatewayV2HTTPEvent event) throws StoreUnavailable {
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        Optional<Job> job = JobId.isWellFormed(id) ? jobs.find(new JobId(id)) : Optional.empty();
        // Another producer's job is as unknown as a missing one: ids do not leak across producers.
        if (job.isEmpty() || !job.get().producer().equals(producer(event))) {
            return HttpResponses.problem(Problem.of(404, "job-not-found", "Not Found", "no job " + id));
        }
        return HttpResponses.json(200, JobView.of(job.get()));
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
