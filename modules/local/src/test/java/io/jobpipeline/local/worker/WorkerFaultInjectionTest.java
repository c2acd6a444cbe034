package io.jobpipeline.local.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.core.event.JobEvents;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.job.TimelineEntry;
import io.jobpipeline.core.settings.Environment;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.faults.CrashAfterCompletions;
import io.jobpipeline.local.faults.FaultyDynamoDbHttp;
import io.jobpipeline.local.faults.PutEventsPartialFailures;
import io.jobpipeline.worker.WorkerHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The worker against the shared stack's real ElasticMQ and DynamoDB Local, with faults injected through the SDK's own
 * seams (its HTTP client, its execution interceptors). After each: every job exactly once in DynamoDB, and every
 * outcome event it ever stored reached the bus (the analytics consumer's ledger has it).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkerFaultInjectionTest {
    private static LocalPipeline stack;
    private WorkerTestQueue queue;

    /** A job of the test and the entity its handler writes (partition key). */
    private record Submitted(Job job, String entityKey) {}

    @BeforeAll
    static void start() {
        stack = SharedLocalStack.get();
    }

    @AfterEach
    void deleteQueue() {
        if (queue != null) {
            queue.delete();
        }
    }

    @Test
    void throttlingOnAThirdOfDynamoDbCallsChangesNothingButTheNumberOfCalls() throws Exception {
        queue = WorkerTestQueue.create(stack, "throttled", 2);
        FaultyDynamoDbHttp wire = new FaultyDynamoDbHttp(4242, 0.3);
        Map<String, String> env = queue.workerEnvironment();
        WorkerHandler worker = new WorkerHandler(env, new AwsClients(new Environment(env), wire));
        List<Submitted> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String vehicle = "THR-" + i + "-" + shortId();
            jobs.add(registration(vehicle));
            // submitted with its vehicle: it fails until the registration is through, then comes back and completes
            Job inspection = queue.submit("inspection.submit", inspection(vehicle));
            jobs.add(new Submitted(inspection, "INSPECTION#" + inspection.id().value()));
        }

        queue.drain(worker, () -> allCompleted(jobs), Duration.ofSeconds(45));

        assertThat(wire.injected()).as("faults injected").isGreaterThan(10);
        assertExactlyOnce(jobs, wire);
        assertEveryOutcomeEventReachedTheBus(jobs);
        assertThat(queue.messagesLeft(queue.deadLetterUrl)).isZero();
    }

    @Test
    void writesWhoseAnswerGotLostAreRecognisedAsTheWorkersOwnWhenRetried() throws Exception {
        queue = WorkerTestQueue.create(stack, "lost", 2);
        // 40 % of the state changes are applied by DynamoDB Local but answered with a 500.
        FaultyDynamoDbHttp wire = new FaultyDynamoDbHttp(99, 0, 0.4);
        Map<String, String> env = queue.workerEnvironment();
        WorkerHandler worker = new WorkerHandler(env, new AwsClients(new Environment(env), wire));
        List<Submitted> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(registration("LOST-" + i + "-" + shortId()));
        }

        queue.drain(worker, () -> allCompleted(jobs), Duration.ofSeconds(30));

        assertThat(wire.lostAnswers("UpdateItem")).as("lost answers to startAttempt").isGreaterThan(0);
        assertThat(wire.lostAnswers("TransactWriteItems")).as("lost answers to completions").isGreaterThan(0);
        for (Submitted s : jobs) {
            Job job = current(s);
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
            // a lost answer to startAttempt is the worker's own lease, not another delivery's: no second attempt
            assertThat(job.attempts()).as("attempts of %s", job.id()).isEqualTo(1);
            assertThat(job.timeline()).filteredOn(e -> e.event().equals("COMPLETED")).hasSize(1);
        }
        assertEveryOutcomeEventReachedTheBus(jobs);
    }

    @Test
    void putEventsPartialFailuresAreSentAgainUntilEveryEventIsOut() throws Exception {
        queue = WorkerTestQueue.create(stack, "partial", 2);
        FaultyDynamoDbHttp wire = FaultyDynamoDbHttp.recordingOnly();
        PutEventsPartialFailures partial = new PutEventsPartialFailures(77, 0.3);
        Map<String, String> env = queue.workerEnvironment();
        WorkerHandler worker = new WorkerHandler(env, new AwsClients(new Environment(env), wire), List.of(partial));
        List<Submitted> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            jobs.add(registration("PUT-" + i + "-" + shortId()));
        }

        queue.drain(worker, () -> allCompleted(jobs), Duration.ofSeconds(30));

        assertThat(partial.failedEntries()).as("entries failed by the bus").isGreaterThan(0);
        assertExactlyOnce(jobs, wire);
        assertEveryOutcomeEventReachedTheBus(jobs);
    }

    @Test
    void anInvocationThatDiesMidBatchLeavesNothingHalfDone() throws Exception {
        queue = WorkerTestQueue.create(stack, "crash", 2);
        FaultyDynamoDbHttp wire = FaultyDynamoDbHttp.recordingOnly();
        Map<String, String> env = queue.workerEnvironment();
        List<Submitted> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(registration("CRASH-" + i + "-" + shortId()));
        }
        List<Message> batch = receiveAll(jobs.size());

        // Three completions go out, then the process is gone: Lambda gets no response, so nothing is deleted and no
        // visibility is changed by anyone; attempts still RUNNING hold a lease until the dead invocation's deadline (3 s).
        CrashAfterCompletions crash = new CrashAfterCompletions(3);
        WorkerHandler doomed = new WorkerHandler(env, new AwsClients(new Environment(env), wire), List.of(crash));
        queue.invoke(doomed, queue.event(batch), Duration.ofSeconds(3));
        assertThat(crash.crashed()).isTrue();
        assertThat(jobs.stream().mapToInt(s -> wire.writesOf(s.entityKey())).sum()).as("completions before the crash").isEqualTo(3);

        // A new container takes the messages as they come back.
        WorkerHandler fresh = new WorkerHandler(env, new AwsClients(new Environment(env), wire));
        queue.drain(fresh, () -> allCompleted(jobs), Duration.ofSeconds(30));

        assertExactlyOnce(jobs, wire);
        assertEveryOutcomeEventReachedTheBus(jobs);
        // the jobs that were RUNNING when the invocation died were taken over with a second attempt
        assertThat(jobs.stream().mapToInt(s -> current(s).attempts()).max().orElse(0)).isEqualTo(2);
    }

    @Test
    void theSameMessagesDeliveredTwiceConcurrentlyRunEachJobOnce() throws Exception {
        queue = WorkerTestQueue.create(stack, "twice", 2);
        FaultyDynamoDbHttp wire = FaultyDynamoDbHttp.recordingOnly();
        Map<String, String> env = queue.workerEnvironment();
        // two containers, as Lambda would run two concurrent invocations
        WorkerHandler first = new WorkerHandler(env, new AwsClients(new Environment(env), wire));
        WorkerHandler second = new WorkerHandler(env, new AwsClients(new Environment(env), wire));
        List<Submitted> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(registration("TWICE-" + i + "-" + shortId()));
        }
        List<Message> batch = receiveAll(jobs.size());
        SQSEvent event = queue.event(batch);

        CyclicBarrier together = new CyclicBarrier(2);
        try (ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Set<String>> a = invocations.submit(() -> invokeTogether(first, event, together));
            Future<Set<String>> b = invocations.submit(() -> invokeTogether(second, event, together));
            queue.deleteAllBut(batch, a.get(30, TimeUnit.SECONDS));
            queue.deleteAllBut(batch, b.get(30, TimeUnit.SECONDS));
        }
        queue.drain(first, () -> allCompleted(jobs), Duration.ofSeconds(30));

        assertExactlyOnce(jobs, wire);
        for (Submitted s : jobs) {
            Job job = current(s);
            assertThat(job.attempts()).as("attempts of %s", job.id()).isEqualTo(1);
            assertThat(job.timeline()).filteredOn(e -> e.event().equals("ATTEMPT_STARTED")).hasSize(1);
        }
        assertEveryOutcomeEventReachedTheBus(jobs);
    }

    private Set<String> invokeTogether(WorkerHandler worker, SQSEvent event, CyclicBarrier together) {
        try {
            together.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return queue.invoke(worker, event, Duration.ofSeconds(30));
    }

    private List<Message> receiveAll(int count) {
        List<Message> batch = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (batch.size() < count && System.nanoTime() < end) {
            batch.addAll(queue.receive(Math.min(10, count - batch.size()), 1));
        }
        assertThat(batch).hasSize(count);
        return batch;
    }

    private Submitted registration(String vehicleId) throws Exception {
        Job job = queue.submit("vehicle.register", Map.of("vehicleId", vehicleId, "plate", "B-T " + vehicleId.hashCode() % 10000,
                "model", "Test Van"));
        return new Submitted(job, "VEHICLE#" + vehicleId);
    }

    private static Map<String, Object> inspection(String vehicleId) {
        return Map.of("vehicleId", vehicleId, "driverId", "DRV-1", "odometerKm", 1200,
                "items", List.of(Map.of("name", "brakes", "ok", true), Map.of("name", "lights", "ok", true)));
    }

    private Job current(Submitted s) {
        try {
            return queue.job(s.job().id());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean allCompleted(List<Submitted> jobs) {
        return jobs.stream().allMatch(s -> current(s).status() == JobStatus.COMPLETED);
    }

    /** COMPLETED once, attempts sane, and the handler's entity written by exactly one transaction, of this job. */
    private void assertExactlyOnce(List<Submitted> jobs, FaultyDynamoDbHttp wire) {
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        for (Submitted s : jobs) {
            Job job = current(s);
            assertThat(job.status()).as("status of %s", job.id()).isEqualTo(JobStatus.COMPLETED);
            assertThat(job.attempts()).as("attempts of %s", job.id()).isBetween(1, WorkerTestQueue.MAX_RECEIVE_COUNT);
            assertThat(job.timeline()).as("timeline of %s", job.id()).filteredOn(e -> e.event().equals("COMPLETED")).hasSize(1);
            assertThat(wire.writesOf(s.entityKey())).as("transactions that wrote %s", s.entityKey()).isEqualTo(1);
            String kind = s.entityKey().substring(0, s.entityKey().indexOf('#'));
            Map<String, AttributeValue> entity = dynamo.getItem(b -> b.tableName(WorkerTestQueue.table(stack))
                    .key(Map.of("PK", AttributeValue.fromS(s.entityKey()), "SK", AttributeValue.fromS(kind))).consistentRead(true)).item();
            assertThat(entity).as("entity %s", s.entityKey()).isNotEmpty();
            assertThat(entity.get("writtenBy").s()).isEqualTo(job.id().value());
        }
    }

    /** Every outcome event a job stored (each failed attempt's JobFailed, its JobCompleted) was consumed off the bus. */
    private void assertEveryOutcomeEventReachedTheBus(List<Submitted> jobs) throws InterruptedException {
        Map<String, String> expected = new LinkedHashMap<>();
        for (Submitted s : jobs) {
            Job job = current(s);
            String id = job.id().value();
            expected.put(JobEvents.eventId(id, "JobCompleted", 0), id + " JobCompleted");
            for (TimelineEntry e : job.timeline()) {
                if (e.event().equals("FAILED")) {
                    expected.put(JobEvents.eventId(id, "JobFailed", e.attempt()), id + " JobFailed " + e.attempt());
                }
            }
        }
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, String> missing = new LinkedHashMap<>(expected);
        while (!missing.isEmpty() && System.nanoTime() < end) {
            missing.keySet().removeIf(eventId -> dynamo.getItem(b -> b.tableName(WorkerTestQueue.table(stack))
                    .key(Map.of("PK", AttributeValue.fromS("CONSUMED#analytics#" + eventId), "SK", AttributeValue.fromS("EVENT")))).hasItem());
            if (!missing.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertThat(missing.values()).as("outcome events that never reached the bus").isEmpty();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
