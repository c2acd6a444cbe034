package io.jobpipeline.local.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.cli.PipelineCli;
import io.jobpipeline.core.Json;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./pipeline up --data DIR} killed with SIGKILL while producers post jobs, then started again on the same
 * directory: every job that got a 202 still finishes, once. Its one completion is counted by the COMPLETED entry of its
 * timeline, which the worker writes in the same transaction as the job's effects. The batches the killed stack had
 * received stay invisible for the queue's visibility timeout (kept in DIR too), so the template runs with the worker's
 * timeout and JobsQueue's visibility timeout cut to 10 s and 15 s.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RestartSafetyTest {
    private static final String PRODUCER = "restart-test";

    @Test
    void everyAcceptedJobFinishesOnceAfterASigkillUnderLoad(@TempDir Path dir) throws Exception {
        Path template = QuickTemplate.of(SharedLocalStack.TEMPLATE, Duration.ofSeconds(10), Duration.ofSeconds(15));
        Path data = dir.resolve("data");
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        String token;
        try (PipelineProcess first = PipelineProcess.start(template, data, "first", Duration.ofSeconds(120))) {
            token = token(template, data);
            BatchSubmitter producer = new BatchSubmitter(first.api(), token);
            AtomicBoolean load = new AtomicBoolean(true);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int producerNo = p;
                producers.add(Thread.ofVirtual().start(() -> post(producer, producerNo, load, accepted)));
            }
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (accepted.size() < 150 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            first.kill(); // mid-load: batches are in flight, the worker and consumers are busy
            load.set(false);
            for (Thread t : producers) {
                t.join(30_000);
            }
        }
        assertThat(accepted).as("jobs accepted before the kill").hasSizeGreaterThanOrEqualTo(100);

        try (PipelineProcess second = PipelineProcess.start(template, data, "second", Duration.ofSeconds(120))) {
            URI api = second.api();
            Map<String, JsonNode> jobs = awaitFinished(api, token, accepted, Duration.ofSeconds(90));
            List<String> unfinished = new ArrayList<>();
            for (String id : accepted) {
                JsonNode job = jobs.get(id);
                if (job == null || !job.path("status").asText().equals("COMPLETED")) {
                    unfinished.add(id + " " + (job == null ? "missing" : job.path("status").asText()));
                    continue;
                }
                long completions = 0;
                for (JsonNode entry : job.path("timeline")) {
                    completions += entry.path("event").asText().equals("COMPLETED") ? 1 : 0;
                }
                assertThat(completions).as("completions of %s", id).isEqualTo(1);
            }
            assertThat(unfinished).as("accepted jobs that did not finish after the restart (of %d; output of the "
                    + "second stack:%n%s)", accepted.size(), second.output()).isEmpty();
        }
    }

    /** Posts batches of 10 registrations until {@code load} stops; the ids of the 202s go to {@code accepted}. */
    private static void post(BatchSubmitter producer, int producerNo, AtomicBoolean load, Set<String> accepted) {
        int n = 0;
        while (load.get()) {
            List<ObjectNode> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++, n++) {
                batch.add(Json.MAPPER.valueToTree(Map.of("type", "vehicle.register", "payload", Map.of(
                        "vehicleId", "RST-" + producerNo + "-" + n, "plate", "R-" + n, "model", "Ford Transit"))));
            }
            try {
                for (String id : producer.submit(batch)) {
                    if (id != null) {
                        accepted.add(id); // a 202 that arrived as the stack died is a promise all the same
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Each job's GET /jobs/{id} once all are COMPLETED, or as they are when {@code patience} runs out. */
    private static Map<String, JsonNode> awaitFinished(URI api, String token, Set<String> ids, Duration patience)
            throws InterruptedException {
        Map<String, JsonNode> jobs = new HashMap<>();
        long end = System.nanoTime() + patience.toNanos();
        List<String> pending = new ArrayList<>(ids);
        while (!pending.isEmpty() && System.nanoTime() < end) {
            List<String> next = new ArrayList<>();
            for (String id : pending) {
                TestHttp.Response r = TestHttp.get(api, "/jobs/" + id, token);
                if (r.status() == 200) {
                    jobs.put(id, r.json());
                }
                if (r.status() != 200 || !r.json().path("status").asText().equals("COMPLETED")) {
                    next.add(id);
                }
            }
            pending = next;
            if (!pending.isEmpty()) {
                Thread.sleep(500);
            }
        }
        return jobs;
    }

    /** {@code ./pipeline token --producer restart-test --data DIR}: signed with the key the stack made in DIR. */
    private static String token(Path template, Path data) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PipelineCli(Map.of()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("token", "--producer", PRODUCER, "--data", data.toString(), "--template", template.toString());
        assertThat(code).as(err.toString()).isZero();
        return out.toString().strip();
    }
}
