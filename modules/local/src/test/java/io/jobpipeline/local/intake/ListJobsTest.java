package io.jobpipeline.local.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code GET /jobs} through the local HTTP front: a producer's own jobs, newest first, a page at a time. */
class ListJobsTest {
    private final URI api = SharedLocalStack.get().httpEndpoint();

    @Test
    void pagesThroughTheProducersJobsNewestFirst() {
        String token = TestHttp.token("list-producer-" + UUID.randomUUID());
        List<String> submitted = submit(token, 5, "VAN-LIST");
        // Another producer's jobs, submitted in between, never show up.
        String other = TestHttp.token("list-other-" + UUID.randomUUID());
        List<String> others = submit(other, 2, "VAN-OTHER");

        List<String> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            TestHttp.Response page = TestHttp.get(api, "/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + enc(cursor)), token);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("application/json");
            JsonNode body = page.json();
            pageSizes.add(body.get("jobs").size());
            for (JsonNode job : body.get("jobs")) {
                listed.add(job.get("jobId").asText());
                assertThat(job.has("timeline")).as("list entries carry no timeline").isFalse();
                assertThat(job.get("type").asText()).isEqualTo("vehicle.register");
                assertThat(job.has("payload")).isFalse();
            }
            cursor = body.path("nextCursor").isTextual() ? body.get("nextCursor").asText() : null;
        } while (cursor != null && pageSizes.size() < 10);

        assertThat(listed).containsExactlyElementsOf(submitted.reversed());
        assertThat(pageSizes.subList(0, 3)).containsExactly(2, 2, 1);
        assertThat(listed).doesNotContainAnyElementsOf(others);

        JsonNode all = TestHttp.get(api, "/jobs", token).json();
        assertThat(all.get("jobs")).hasSize(5);
        assertThat(all.has("nextCursor")).isFalse();
    }

    @Test
    void filtersByStatus() throws InterruptedException {
        String token = TestHttp.token("list-status-" + UUID.randomUUID());
        List<String> submitted = submit(token, 3, "VAN-LS");
        for (String id : submitted) {
            TestHttp.Response done = TestHttp.await(api, "/jobs/" + id,
                    r -> r.status() == 200 && r.json().get("status").asText().equals("COMPLETED"), Duration.ofSeconds(20), token);
            assertThat(done.json().get("status").asText()).isEqualTo("COMPLETED");
        }
        JsonNode completed = TestHttp.get(api, "/jobs?status=COMPLETED&limit=100", token).json();
        assertThat(completed.get("jobs")).extracting(j -> j.get("jobId").asText()).containsExactlyElementsOf(submitted.reversed());
        assertThat(completed.get("jobs")).allSatisfy(j -> assertThat(j.get("completedAt").isTextual()).isTrue());
        JsonNode queued = TestHttp.get(api, "/jobs?status=DEAD_LETTERED", token).json();
        assertThat(queued.get("jobs")).isEmpty();
        assertThat(queued.has("nextCursor")).isFalse();
    }

    @Test
    void badParametersAre400Problems() {
        String token = TestHttp.token("list-bad-" + UUID.randomUUID());
        submit(token, 2, "VAN-LB");
        for (String query : List.of("limit=0", "limit=101", "limit=abc", "limit=", "limit=1.5", "limit=-1", "status=DONE",
                "status=queued", "cursor=not-a-cursor", "cursor=" + enc(Base64.getUrlEncoder().encodeToString("{}".getBytes())),
                "sort=asc")) {
            TestHttp.Response r = TestHttp.get(api, "/jobs?" + query, token);
            assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("type").asText()).isEqualTo("https://jobpipeline.io/problems/invalid-query");
        }
    }

    @Test
    void anotherProducersCursorIsRefused() {
        String owner = TestHttp.token("list-owner-" + UUID.randomUUID());
        submit(owner, 2, "VAN-LC");
        String cursor = TestHttp.get(api, "/jobs?limit=1", owner).json().get("nextCursor").asText();
        String thief = TestHttp.token("list-thief-" + UUID.randomUUID());
        TestHttp.Response stolen = TestHttp.get(api, "/jobs?limit=1&cursor=" + enc(cursor), thief);
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.body()).doesNotContain("VAN-LC");
    }

    @Test
    void withoutATokenIs401() {
        assertThat(TestHttp.get(api, "/jobs", null).status()).isEqualTo(401);
    }

    private List<String> submit(String token, int count, String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestHttp.Response r = TestHttp.postJson(api, "/jobs", IntakeRig.vehicle(prefix + "-" + i), token);
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            ids.add(r.json().get("jobId").asText());
        }
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
