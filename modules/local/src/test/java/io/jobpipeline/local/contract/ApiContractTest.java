package io.jobpipeline.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.TestHttp;
import io.jobpipeline.local.intake.IntakeFaults;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml against the running API (the shared local stack): every documented status of every operation is
 * produced, unless it is in {@link #EXCLUDED} with the reason it cannot be produced deterministically here; every
 * answer's body validates against the schema documented for its status and media type; and every request example of
 * the document (bodies and parameters) is sent and answered with a documented status.
 */
class ApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Statuses that cannot be produced on demand, each with the reason; printed on every run. Stale entries (statuses
     * no longer documented, or produced after all) fail the test too. 503 and 500 of the intake's routes are produced
     * by fault injection into an intake of the test's own ({@link IntakeFaults}), as their bodies come from the same
     * handler the HTTP front invokes.
     */
    private static final Map<String, String> EXCLUDED = new TreeMap<>(Map.ofEntries(
            Map.entry("POST /jobs/batch 500", "the batch answers a refusing store or queue per job (200 with a 500 or 503 "
                    + "item, produced here by fault injection); a whole-body 500 takes a bug in the intake itself"),
            Map.entry("GET /health 503", "only while the stack is still starting; the shared stack is ready before any test runs")));

    private static URI api;
    private static JsonNode doc;
    private static JsonSchemaFactory factory;
    private static SchemaValidatorsConfig config;
    private static String token;

    /** "METHOD /path status" produced so far, with what produced it. */
    private final Map<String, List<String>> produced = new TreeMap<>();
    private final List<String> invalid = new ArrayList<>();

    record Answer(int status, String contentType, String body) {}

    @BeforeAll
    static void load() throws IOException {
        doc = OpenApiDocument.doc();
        factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.schemas(OpenApiDocument::schemaText)));
        config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).formatAssertionsEnabled(true).build();
        api = SharedLocalStack.get().httpEndpoint();
        token = TestHttp.token("contract-" + UUID.randomUUID());
    }

    @Test
    void everyDocumentedStatusIsProducedAndMatchesItsSchema() {
        String vehicle = "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-C1\",\"plate\":\"B-C 1\",\"model\":\"Transit\"}}";

        // POST /jobs
        String jobId = check("POST /jobs", "valid job", post("/jobs", "application/json", vehicle, token, Map.of()))
                .path("jobId").asText();
        check("POST /jobs", "truncated JSON", post("/jobs", "application/json", "{\"type\":", token, Map.of()));
        check("POST /jobs", "no token", post("/jobs", "application/json", vehicle, null, Map.of()));
        String key = "contract-" + UUID.randomUUID();
        check("POST /jobs", "keyed job", post("/jobs", "application/json", vehicle, token, Map.of("Idempotency-Key", key)));
        check("POST /jobs", "same key, other body", post("/jobs", "application/json",
                vehicle.replace("VAN-C1", "VAN-C2"), token, Map.of("Idempotency-Key", key)));
        check("POST /jobs", "body over 256 KiB", post("/jobs", "application/json", big(300 * 1024), token, Map.of()));
        check("POST /jobs", "text/plain", post("/jobs", "text/plain", vehicle, token, Map.of()));
        check("POST /jobs", "unknown type", post("/jobs", "application/json", "{\"type\":\"vehicle.paint\",\"payload\":{}}", token, Map.of()));

        // POST /jobs/batch
        check("POST /jobs/batch", "one job", post("/jobs/batch", "application/json", "{\"jobs\":[" + vehicle + "]}", token, Map.of()));
        check("POST /jobs/batch", "not an object", post("/jobs/batch", "application/json", "[]", token, Map.of()));
        check("POST /jobs/batch", "no token", post("/jobs/batch", "application/json", "{\"jobs\":[" + vehicle + "]}", null, Map.of()));
        check("POST /jobs/batch", "body over 5 MiB", post("/jobs/batch", "application/json", big(6 * 1024 * 1024), token, Map.of()));
        check("POST /jobs/batch", "text/plain", post("/jobs/batch", "text/plain", "{\"jobs\":[]}", token, Map.of()));
        check("POST /jobs/batch", "no jobs", post("/jobs/batch", "application/json", "{\"jobs\":[]}", token, Map.of()));

        // GET /jobs
        check("GET /jobs", "first page", get("/jobs?limit=1", token));
        check("GET /jobs", "limit 0", get("/jobs?limit=0", token));
        check("GET /jobs", "no token", get("/jobs", null));

        // GET /jobs/{id}
        check("GET /jobs/{id}", "own job", get("/jobs/" + jobId, token));
        check("GET /jobs/{id}", "no token", get("/jobs/" + jobId, null));
        check("GET /jobs/{id}", "another producer's job", get("/jobs/" + jobId, TestHttp.token("contract-other-" + UUID.randomUUID())));

        // GET /stats, GET /health
        check("GET /stats", "stats", get("/stats", token));
        check("GET /stats", "no token", get("/stats", null));
        check("GET /health", "ready", get("/health", null));

        // 503: DynamoDB and SQS down, by fault injection into an intake of its own (IntakeFaultTest's rig).
        check("POST /jobs", "backend down (fault injection)", down("POST /jobs", "/jobs", Map.of(), vehicle));
        check("GET /jobs", "backend down (fault injection)", down("GET /jobs", "/jobs", Map.of(), null));
        check("GET /jobs/{id}", "backend down (fault injection)", down("GET /jobs/{id}", "/jobs/" + jobId, Map.of("id", jobId), null));
        check("GET /stats", "backend down (fault injection)", down("GET /stats", "/stats", Map.of(), null));
        // 500: DynamoDB and SQS refuse every call with a 400 no retry changes, the intake's catch-all answers.
        check("POST /jobs", "backend refuses (fault injection)", refused("POST /jobs", "/jobs", Map.of(), vehicle));
        check("POST /jobs/batch", "backend refuses (fault injection)", refused("POST /jobs/batch", "/jobs/batch", Map.of(), "{\"jobs\":[" + vehicle + "]}"));
        check("GET /jobs", "backend refuses (fault injection)", refused("GET /jobs", "/jobs", Map.of(), null));
        check("GET /jobs/{id}", "backend refuses (fault injection)", refused("GET /jobs/{id}", "/jobs/" + jobId, Map.of("id", jobId), null));
        check("GET /stats", "backend refuses (fault injection)", refused("GET /stats", "/stats", Map.of(), null));

        Set<String> documented = documentedStatuses();
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(produced.keySet());
        missing.removeAll(EXCLUDED.keySet());
        Set<String> undocumented = new TreeSet<>(produced.keySet());
        undocumented.removeAll(documented);
        Set<String> staleExclusions = new TreeSet<>(EXCLUDED.keySet());
        staleExclusions.removeIf(e -> documented.contains(e) && !produced.containsKey(e));

        System.out.println("ApiContractTest: produced " + produced.keySet());
        EXCLUDED.forEach((status, why) -> System.out.println("ApiContractTest: NOT exercised " + status + ": " + why));
        assertThat(invalid).as("answers whose body breaks the schema documented for their status").isEmpty();
        assertThat(undocumented).as("statuses the API answered that openapi.yaml does not document " + produced).isEmpty();
        assertThat(missing).as("documented statuses never produced and not excluded").isEmpty();
        assertThat(staleExclusions).as("exclusions that are not documented statuses or were produced after all").isEmpty();
    }

    /** Every request body example, and every parameter example, sent to its operation: a documented status each time. */
    @Test
    void everyRequestExampleIsSentAndGetsADocumentedStatus() {
        Set<String> documented = documentedStatuses();
        List<String> sent = new ArrayList<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (!OpenApiDocument.METHODS.contains(op.getKey())) {
                return;
            }
            String method = op.getKey().toUpperCase(Locale.ROOT);
            String route = method + " " + path.getKey();
            JsonNode operation = op.getValue();
            String plainPath = path.getKey();
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode p = resolve(parameter);
                if (p.path("in").asText().equals("path")) {
                    JsonNode example = p.path("examples").properties().iterator().next().getValue();
                    plainPath = plainPath.replace("{" + p.path("name").asText() + "}", resolve(example).path("value").asText());
                }
            }
            final String target = plainPath;
            resolve(operation.path("requestBody")).path("content").properties().forEach(mt ->
                    mt.getValue().path("examples").properties().forEach(e -> {
                        String body = resolve(e.getValue()).path("value").toString();
                        Answer answer = post(target, mt.getKey(), body, token, Map.of());
                        sent.add(route + " body example " + e.getKey() + " -> " + answer.status());
                        checkDocumented(route, "body example " + e.getKey(), answer, documented);
                    }));
            for (JsonNode parameter : operation.path("parameters")) {
                JsonNode p = resolve(parameter);
                if (!p.path("in").asText().equals("query") && !p.path("in").asText().equals("path")) {
                    continue; // headers (Idempotency-Key) go with a body: sent with the first body example
                }
                p.path("examples").properties().forEach(e -> {
                    String value = resolve(e.getValue()).path("value").asText();
                    String uri = p.path("in").asText().equals("query")
                            ? target + "?" + p.path("name").asText() + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8) : target;
                    Answer answer = method.equals("GET") ? get(uri, token) : post(uri, "application/json", "{}", token, Map.of());
                    sent.add(route + " " + p.path("name").asText() + " example " + e.getKey() + " -> " + answer.status());
                    checkDocumented(route, p.path("name").asText() + " example " + e.getKey(), answer, documented);
                });
            }
        }));
        // The Idempotency-Key examples, each with the first body example of POST /jobs.
        JsonNode keyParam = doc.at("/components/parameters/IdempotencyKey");
        JsonNode firstBody = doc.at("/paths/~1jobs/post/requestBody/content/application~1json/examples").elements().next();
        keyParam.path("examples").properties().forEach(e -> {
            String keyValue = resolve(e.getValue()).path("value").asText() + "-" + UUID.randomUUID();
            Answer answer = post("/jobs", "application/json", resolve(firstBody).path("value").toString(), token,
                    Map.of("Idempotency-Key", keyValue));
            sent.add("POST /jobs Idempotency-Key example " + e.getKey() + " -> " + answer.status());
            checkDocumented("POST /jobs", "Idempotency-Key example " + e.getKey(), answer, documented);
        });
        System.out.println("ApiContractTest: request examples sent " + sent);
        assertThat(sent).as("request examples sent").hasSizeGreaterThanOrEqualTo(5)
                .anyMatch(s -> s.startsWith("POST /jobs body example vehicleRegister -> 202"))
                .anyMatch(s -> s.startsWith("POST /jobs/batch body example mixed -> 200"));
        assertThat(invalid).as("example requests answered with an undocumented status or a body breaking its schema").isEmpty();
    }

    // --- checking answers ---------------------------------------------------------------------------------------------

    private void checkDocumented(String route, String what, Answer answer, Set<String> documented) {
        if (!documented.contains(route + " " + answer.status())) {
            invalid.add(route + " " + what + ": status " + answer.status() + " is not documented: " + clip(answer.body()));
            return;
        }
        validate(route, what, answer);
    }

    /** Records the status as produced and validates the body against the documented schema; returns the body. */
    private JsonNode check(String route, String what, Answer answer) {
        produced.computeIfAbsent(route + " " + answer.status(), k -> new ArrayList<>()).add(what);
        return validate(route, what, answer);
    }

    private JsonNode validate(String route, String what, Answer answer) {
        String[] parts = route.split(" ", 2);
        String responsePointer = "/paths/" + escape(parts[1]) + "/" + parts[0].toLowerCase(Locale.ROOT) + "/responses/" + answer.status();
        JsonNode response = doc.at(responsePointer);
        if (response.isMissingNode()) {
            return readJson(answer.body());
        }
        if (response.path("$ref").isTextual()) {
            responsePointer = response.path("$ref").asText().substring(1);
            response = doc.at(responsePointer);
        }
        String mediaType = answer.contentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!response.path("content").has(mediaType)) {
            invalid.add(route + " " + what + ": " + answer.status() + " answered as '" + mediaType + "', documented "
                    + iterable(response.path("content").fieldNames()));
            return readJson(answer.body());
        }
        JsonNode body = readJson(answer.body());
        if (body == null) {
            invalid.add(route + " " + what + ": " + answer.status() + " body is not JSON: " + clip(answer.body()));
            return null;
        }
        String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
        JsonSchema schema = factory.getSchema(SchemaLocation.of(OpenApiDocument.OPENAPI_IRI + "#"
                + OpenApiDocument.uriFragment(schemaPointer)), config);
        schema.validate(body).forEach(m -> invalid.add(route + " " + what + " (" + answer.status() + "): "
                + m.getInstanceLocation() + " " + m.getMessage()));
        return body;
    }

    private Set<String> documentedStatuses() {
        Set<String> documented = new TreeSet<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (OpenApiDocument.METHODS.contains(op.getKey())) {
                op.getValue().path("responses").fieldNames().forEachRemaining(status ->
                        documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " " + status));
            }
        }));
        return documented;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.path("$ref").isTextual() && current.path("$ref").asText().startsWith("#/") && hops < 10; hops++) {
            current = doc.at(current.path("$ref").asText().substring(1));
        }
        return current;
    }

    // --- HTTP ---------------------------------------------------------------------------------------------------------

    private static Answer get(String path, String bearer) {
        return send(HttpRequest.newBuilder(api.resolve(path)).GET(), bearer, Map.of());
    }

    private static Answer post(String path, String contentType, String body, String bearer, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        return send(request, bearer, headers);
    }

    private static Answer send(HttpRequest.Builder request, String bearer, Map<String, String> headers) {
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer down(String routeKey, String path, Map<String, String> pathParameters, String body) {
        return answer(IntakeFaults.whileTheBackendIsDown(routeKey, path, pathParameters, body));
    }

    private static Answer refused(String routeKey, String path, Map<String, String> pathParameters, String body) {
        return answer(IntakeFaults.whileTheBackendRefuses(routeKey, path, pathParameters, body));
    }

    private static Answer answer(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse response) {
        Map<String, String> headers = response.getHeaders() == null ? Map.of() : response.getHeaders();
        return new Answer(response.getStatusCode(), headers.getOrDefault("content-type", ""), response.getBody());
    }

    /** A job request of about {@code bytes} bytes: valid JSON, too big. */
    private static String big(int bytes) {
        return "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-BIG\",\"plate\":\"B\",\"model\":\""
                + "x".repeat(bytes) + "\"}}";
    }

    private static JsonNode readJson(String text) {
        try {
            return text == null || text.isEmpty() ? null : JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

}
