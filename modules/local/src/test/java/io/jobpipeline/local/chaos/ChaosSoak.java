package io.jobpipeline.local.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.aws.AwsClients;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.core.settings.Environment;
import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.fanout.WebhookReceiver;
import io.jobpipeline.notifications.WebhookSignature;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The chaos soak: jobs of both types through a local stack built from template.yaml while {@link ChaosFaults} hits
 * every AWS call path; then the faults stop, the poison's cause is fixed (its vehicles registered), the dead letters are
 * replayed, and {@link ChaosAudit} reads what became of every job. Every random choice comes from the seed.
 * Run by {@code bench/chaos/run} (10,000 jobs) and, small, by {@code ChaosSoakTest}.
 */
public final class ChaosSoak {
    private static final String PRODUCER = "chaos-soak";
    private static final int SUBMITTERS = 4;
    private static final int BATCH = 25;

    private final ChaosSettings settings;
    private final PrintStream progress;
    private final JobsDeadLetterReplay replay;
    private final long started = System.nanoTime();

    public ChaosSoak(ChaosSettings settings, PrintStream progress, JobsDeadLetterReplay replay) {
        this.settings = settings;
        this.progress = progress;
        this.replay = replay;
    }

    public ChaosReport run(Path template) throws Exception {
        ChaosFaults faults = new ChaosFaults(settings);
        String master = "chaos-soak-master-secret-" + settings.seed() + "-0123456789abcdef";
        LocalOptions options = LocalOptions.ephemeral(QuickTemplate.of(template,
                settings.functionTimeout(), settings.visibilityTimeout())).withWiring(faults);
        options = new LocalOptions(options.template(), options.host(), 0, 0, 0, 0, Optional.empty(),
                Map.of("WebhookSigningSecret", master), options.region(), options.accountId(), Optional.empty(), faults);
        try (LocalPipeline stack = LocalPipeline.start(options);
             WebhookReceiver receiver = new WebhookReceiver(WebhookSignature.producerSecret(master, PRODUCER));
             AwsClients harness = new AwsClients(new Environment(Map.of("AWS_REGION", options.region(),
                     "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
                     "AWS_ENDPOINT_URL_SQS", stack.sqsEndpoint().toString(),
                     "AWS_ENDPOINT_URL_EVENTBRIDGE", stack.busEndpoint().toString())))) {
            return soak(stack, faults, receiver, harness);
        }
    }

    private ChaosReport soak(LocalPipeline stack, ChaosFaults faults, WebhookReceiver receiver, AwsClients harness) throws Exception {
        long soakStart = System.nanoTime();
        String table = stack.resources().ref("JobsTable");
        DynamoDbJobStore store = new DynamoDbJobStore(stack.clients().dynamoDb(), table);
        DeadLetterRedrive redrive = new DeadLetterRedrive(harness.sqs(), harness.eventBridge());
        String jobsQueue = stack.resources().queueUrl("JobsQueue");
        BatchSubmitter producer = new BatchSubmitter(stack.httpEndpoint(), stack.tokens().mint(PRODUCER));

        List<SoakJob> planned = plan(receiver.url("/hooks/chaos"));
        Thread outage = Thread.ofVirtual().start(() -> outage(faults));
        say("submitting %d jobs while the faults are on", planned.size());
        List<SoakJob> jobs = submit(producer, planned);
        say("all %d accepted; waiting for JobsQueue to drain", jobs.size());
        awaitDrained(redrive, jobsQueue, Duration.ofSeconds(120 + jobs.size() / 10));
        outage.interrupt();
        faults.stop();
        String injected = faults.injected();
        say("faults off (%s)", injected);

        List<SoakJob> fixes = submit(producer, fixes(jobs));
        say("registered the %d vehicles the poison inspected", fixes.size());
        awaitCompleted(store, fixes, Duration.ofSeconds(60));
        awaitDrained(redrive, jobsQueue, Duration.ofSeconds(60));

        long replayed = replay.replay(stack, "JobsDeadLetterQueue");
        say("replayed %d messages of JobsDeadLetterQueue (%s)", replayed, replay.label());
        List<SoakJob> all = new ArrayList<>(jobs);
        all.addAll(fixes);
        awaitCompleted(store, all, Duration.ofSeconds(60 + jobs.size() / 50));
        awaitDrained(redrive, jobsQueue, Duration.ofSeconds(30));
        stack.bus().awaitIdle(Duration.ofSeconds(60));

        Map<String, Integer> republished = new TreeMap<>();
        String bus = stack.resources().busName("JobsEventBus");
        for (String dlq : List.of("NotificationsDeadLetterQueue", "AnalyticsDeadLetterQueue")) {
            republished.put(dlq, redrive.republish(stack.resources().queueUrl(dlq), bus));
        }
        stack.bus().awaitIdle(Duration.ofSeconds(60));
        say("put %s consumer dead letters on the bus again; auditing", republished);

        ChaosAudit audit = new ChaosAudit(stack.clients().dynamoDb(), table, stack.template());
        ChaosAudit.Findings findings = audit.audit(all, records(store, all), faults);
        Duration wall = Duration.ofNanos(System.nanoTime() - soakStart);
        int poison = (int) jobs.stream().filter(SoakJob::poison).count();
        return new ChaosReport(settings, jobs.size(), poison, fixes.size(), findings, replayed, replay.label(), republished,
                injected, faults.faultThatNeverHit(), wall);
    }

    /** The jobs, in the order they are posted: registrations, inspections of vehicles registered before, poison. */
    private List<SoakJob> plan(URI callback) {
        Random random = new Random(settings.seed());
        String tag = Long.toString(Math.abs(settings.seed()), 36);
        List<String> registered = new ArrayList<>();
        List<SoakJob> jobs = new ArrayList<>();
        for (int i = 0; i < settings.jobs(); i++) {
            double roll = random.nextDouble();
            boolean poison = roll < settings.poisonShare();
            ObjectNode request;
            if (poison) {
                request = inspection("GHOST-" + tag + "-" + i, i);
            } else if (registered.isEmpty() || roll < settings.poisonShare() + (1 - settings.poisonShare()) / 2) {
                String vehicle = "VAN-" + tag + "-" + i;
                registered.add(vehicle);
                request = registration(vehicle, i);
            } else {
                request = inspection(registered.get(random.nextInt(registered.size())), i);
            }
            if (random.nextDouble() < settings.callbackShare()) {
                request.put("callbackUrl", callback.toString());
            }
            jobs.add(new SoakJob(request, null, null, poison));
        }
        return jobs;
    }

    private static ObjectNode registration(String vehicle, int i) {
        return Json.MAPPER.valueToTree(Map.of("type", "vehicle.register", "payload",
                Map.of("vehicleId", vehicle, "plate", "CH-" + (i % 100_000), "model", i % 2 == 0 ? "Ford Transit" : "VW Crafter")));
    }

    private static ObjectNode inspection(String vehicle, int i) {
        return Json.MAPPER.valueToTree(Map.of("type", "inspection.submit", "payload", Map.of("vehicleId", vehicle,
                "driverId", "DRV-" + (i % 97), "odometerKm", 1000 + i,
                "items", List.of(Map.of("name", "brakes", "ok", true), Map.of("name", "lights", "ok", i % 7 != 0)))));
    }

    /** A registration of each vehicle a poison job inspected: the fix. */
    private static List<SoakJob> fixes(List<SoakJob> jobs) {
        return jobs.stream().filter(SoakJob::poison).map(j -> new SoakJob(
                registration(j.request().at("/payload/vehicleId").asText(), 0), null, null, false)).toList();
    }

    /** Posts the jobs in batches from a few producers at once; every job ends accepted once, with its id. */
    private static List<SoakJob> submit(BatchSubmitter producer, List<SoakJob> planned) throws Exception {
        List<Future<String[]>> chunks = new ArrayList<>();
        try (var submitters = Executors.newFixedThreadPool(SUBMITTERS, Thread.ofVirtual().factory())) {
            for (int from = 0; from < planned.size(); from += BATCH) {
                List<ObjectNode> chunk = planned.subList(from, Math.min(planned.size(), from + BATCH))
                        .stream().map(SoakJob::request).toList();
                chunks.add(submitters.submit(() -> producer.submitAll(chunk, Duration.ofMinutes(2))));
            }
        }
        List<SoakJob> accepted = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            String[] ids = chunks.get(c).get();
            for (int k = 0; k < ids.length; k++) {
                accepted.add(planned.get(c * BATCH + k).accepted(ids[k]));
            }
        }
        return accepted;
    }

    /** The analytics consumer's writes fail for a while, some time after its first event. */
    private void outage(ChaosFaults faults) {
        try {
            while (!faults.analyticsBusy()) {
                Thread.sleep(50);
            }
            Thread.sleep(settings.outageAfter());
            faults.startOutage();
            say("analytics consumer: writes failing for %d s", settings.outage().toSeconds());
            Thread.sleep(settings.outage());
            say("analytics consumer: outage over");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            faults.endOutage();
        }
    }

    /** Until the queue holds nothing (visible, in flight or delayed) twice in a row, a second apart. */
    private void awaitDrained(DeadLetterRedrive sqs, String queueUrl, Duration patience) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        int empty = 0;
        while (empty < 2) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("JobsQueue still holds " + sqs.messages(queueUrl) + " messages after " + patience);
            }
            empty = sqs.messages(queueUrl) == 0 ? empty + 1 : 0;
            Thread.sleep(1000);
        }
    }

    /** Until every job is COMPLETED or {@code patience} passes (the audit then counts the rest as lost). */
    private void awaitCompleted(DynamoDbJobStore store, List<SoakJob> jobs, Duration patience) throws Exception {
        long end = System.nanoTime() + patience.toNanos();
        List<SoakJob> pending = jobs;
        while (!pending.isEmpty() && System.nanoTime() < end) {
            Map<String, Job> records = records(store, pending);
            pending = pending.stream().filter(j -> records.get(j.jobId()) == null
                    || records.get(j.jobId()).status() != JobStatus.COMPLETED).toList();
            if (!pending.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        if (!pending.isEmpty()) {
            say("%d jobs not COMPLETED after %s", pending.size(), patience);
        }
    }

    /** The stored record of each job, read 8 at a time with consistent reads. */
    private static Map<String, Job> records(DynamoDbJobStore store, List<SoakJob> jobs) throws Exception {
        Map<String, Job> records = new ConcurrentHashMap<>();
        try (var readers = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            for (SoakJob job : jobs) {
                readers.submit(() -> {
                    store.find(new JobId(job.jobId())).ifPresent(r -> records.put(job.jobId(), r));
                    return null;
                });
            }
        }
        return records;
    }

    private void say(String format, Object... args) {
        progress.printf(java.util.Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9, String.format(java.util.Locale.ROOT, format, args));
    }
}
