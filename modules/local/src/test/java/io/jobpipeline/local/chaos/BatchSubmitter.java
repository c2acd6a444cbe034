package io.jobpipeline.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A producer posting {@code POST /jobs/batch} over HTTP with its bearer token. Each job's answer is its own: only a
 * 202 is an accepted job; anything else (a 503 while DynamoDB throttles the intake, a broken connection while the
 * stack dies) means nothing was stored for it, so it may be sent again.
 */
public final class BatchSubmitter {
    public static final int MAX_BATCH = 100;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI batchUrl;
    private final String token;

    public BatchSubmitter(URI api, String token) {
        this.batchUrl = api.resolve("/jobs/batch");
        this.token = token;
    }

    /** The job id of each job that got a 202, null at the others' places; all null when the request itself failed. */
    public String[] submit(List<? extends JsonNode> jobs) throws InterruptedException {
        String[] ids = new String[jobs.size()];
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(batchUrl).timeout(Duration.ofSeconds(30))
                    .header("authorization", "Bearer " + token).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("jobs", jobs)))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return ids;
        }
        if (response.statusCode() != 200) {
            return ids;
        }
        for (JsonNode result : Json.tree(response.body()).path("results")) {
            if (result.path("status").asInt() == 202) {
                ids[result.path("index").asInt()] = result.path("jobId").asText();
            }
        }
        return ids;
    }

    /** Sends {@code jobs} in batches until each was accepted once, or {@code patience} passes; their ids, in order. */
    public String[] submitAll(List<? extends JsonNode> jobs, Duration patience) throws InterruptedException {
        String[] ids = new String[jobs.size()];
        long end = System.nanoTime() + patience.toNanos();
        List<Integer> pending = new ArrayList<>(java.util.stream.IntStream.range(0, jobs.size()).boxed().toList());
        while (!pending.isEmpty() && System.nanoTime() < end) {
            List<Integer> next = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += MAX_BATCH) {
                List<Integer> slice = pending.subList(from, Math.min(pending.size(), from + MAX_BATCH));
                String[] answers = submit(slice.stream().map(jobs::get).toList());
                for (int k = 0; k < slice.size(); k++) {
                    if (answers[k] != null) {
                        ids[slice.get(k)] = answers[k];
                    } else {
                        next.add(slice.get(k));
                    }
                }
            }
            pending = next;
            if (!pending.isEmpty()) {
                Thread.sleep(200);
            }
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException(pending.size() + " jobs were never accepted within " + patience
                    + ", e.g. " + jobs.get(pending.getFirst()) + "; ids so far " + Arrays.stream(ids).filter(java.util.Objects::nonNull).count());
        }
        return ids;
    }
}
