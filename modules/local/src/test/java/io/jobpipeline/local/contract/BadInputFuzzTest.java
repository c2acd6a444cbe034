package io.jobpipeline.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobpipeline.core.contract.ContractViolation;
import io.jobpipeline.core.contract.JobContracts;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.contract.BadInputs.Clue;
import io.jobpipeline.local.contract.BadInputs.Input;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Generated bad input against the running stack's {@code POST /jobs}: truncated, mistyped, too deep, too large, not
 * UTF-8, not JSON, not an object, and more (see {@link BadInputs}). Each must get a 4xx problem+json whose detail says
 * what is wrong, and none may leave a job behind. {@code -Dfuzz.seed=N} replays a run; each run prints its seed.
 */
class BadInputFuzzTest {
    static final long SEED = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
    static final Set<Integer> PROBLEM_STATUSES = Set.of(400, 413, 415, 422);
    /** Lambda's limit for a synchronous response; over it the invocation fails and API Gateway answers 500. */
    static final int LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
    static final int THREADS = 4;
    static final String PRODUCER = "fuzz-producer";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String contentType, byte[] body, String failure, long millis) {}

    private static List<Input> inputs;
    private static final Map<Input, Answer> answers = new LinkedHashMap<>();
    private static long jobsBefore;
    private static long jobsAfter;

    @BeforeAll
    static void sendEveryInput() throws Exception {
        long t0 = System.nanoTime();
        LocalPipeline stack = SharedLocalStack.get();
        long t1 = System.nanoTime();
        inputs = new BadInputs(SEED).all();
        long t2 = System.nanoTime();
        System.out.printf("BadInputFuzzTest: stack %d ms, generating %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        String token = stack.tokens().mint(PRODUCER);
        URI jobs = stack.httpEndpoint().resolve("/jobs");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        jobsBefore = jobCount(stack.clients().dynamoDb());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            // The largest bodies first, so the slow ones overlap the many small ones instead of ending the run alone.
            Map<Input, Future<Answer>> pending = new IdentityHashMap<>();
            inputs.stream().sorted(Comparator.comparingInt((Input i) -> i.body().length).reversed())
                    .forEach(input -> pending.put(input, pool.submit(() -> send(client, jobs, token, input))));
            for (Input input : inputs) {
                answers.put(input, pending.get(input).get());
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        jobsAfter = jobCount(stack.clients().dynamoDb());
        Map<String, Long> perCategory = inputs.stream().collect(Collectors.groupingBy(Input::category, LinkedHashMap::new, Collectors.counting()));
        System.out.printf("BadInputFuzzTest: seed %d (replay with -Dfuzz.seed=%d): %d inputs sent in %d ms over %d threads; jobs %d -> %d%n  %s%n",
                SEED, SEED, inputs.size(), millis, THREADS, jobsBefore, jobsAfter, perCategory);
        long wrong = answers.entrySet().stream().filter(e -> !problemsWith(e.getKey(), e.getValue()).isEmpty()).count();
        System.out.printf("BadInputFuzzTest: %d of %d inputs answered wrongly; slowest: %s%n", wrong, inputs.size(),
                answers.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().millis(), a.getValue().millis())).limit(12)
                        .map(e -> e.getKey().label() + " " + e.getValue().millis() + " ms").collect(Collectors.joining("; ")));
    }

    @Test
    void generatesOverAThousandInputsFromValidRequests() {
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(inputs.stream().map(Input::category).distinct()).hasSizeGreaterThanOrEqualTo(15);
        JobContracts contracts = new JobContracts();
        for (String valid : BadInputs.VALID) {
            try {
                contracts.validate(JSON.readTree(valid));
            } catch (ContractViolation | IOException e) {
                throw new AssertionError("the generator's base request is not valid: " + valid, e);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameInputs() {
        List<Input> again = new BadInputs(SEED).all();
        assertThat(again).hasSameSizeAs(inputs);
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(again.get(i).label()).isEqualTo(inputs.get(i).label());
            assertThat(again.get(i).body()).as(inputs.get(i).label()).isEqualTo(inputs.get(i).body());
        }
    }

    /** Jobs are the only items whose sort key is JOB; no bad input may have added one. */
    @Test
    void noBadInputStoredAJob() {
        List<String> accepted = answers.entrySet().stream().filter(e -> e.getValue().status() / 100 == 2)
                .map(e -> e.getKey().label()).toList();
        assertThat(jobsAfter - jobsBefore).as("[seed %d] jobs stored by bad input; inputs answered 2xx: %s", SEED, accepted).isZero();
    }

    @TestFactory
    Stream<DynamicContainer> everyBadInputGetsAProblemThatSaysWhatIsWrong() {
        Map<String, List<Input>> byCategory = inputs.stream().collect(Collectors.groupingBy(Input::category, LinkedHashMap::new, Collectors.toList()));
        return byCategory.entrySet().stream().map(c -> DynamicContainer.dynamicContainer(c.getKey() + " (" + c.getValue().size() + ")",
                c.getValue().stream().map(input -> DynamicTest.dynamicTest(input.name(), () -> {
                    List<String> problems = problemsWith(input, answers.get(input));
                    if (!problems.isEmpty()) {
                        throw new AssertionError(describe(input, answers.get(input), problems));
                    }
                }))));
    }

    // --- judging an answer ------------------------------------------------------------------------------------------

    static List<String> problemsWith(Input input, Answer answer) {
        List<String> wrong = new ArrayList<>();
        if (answer.failure() != null) {
            wrong.add("no answer: " + answer.failure());
            return wrong;
        }
        int status = answer.status();
        if (status >= 500) {
            wrong.add("a server error (" + status + ")");
        } else if (status == 401) {
            wrong.add("401: the stack refused the test's bearer token");
        } else if (!PROBLEM_STATUSES.contains(status) || !input.expect().statuses().contains(status)) {
            wrong.add("status " + status + ", expected " + input.expect().statuses().stream().sorted().map(String::valueOf)
                    .collect(Collectors.joining(" or ")));
        }
        String mediaType = answer.contentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/problem+json")) {
            wrong.add("content-type '" + answer.contentType() + "', expected application/problem+json");
            return wrong;
        }
        int lambdaBytes = lambdaResponseSize(answer);
        if (lambdaBytes > LAMBDA_RESPONSE_LIMIT) {
            wrong.add("the answer is " + lambdaBytes + " bytes as a Lambda response, over Lambda's 6 MB limit: in AWS the invocation "
                    + "fails and API Gateway answers 500");
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.body());
        } catch (Exception e) {
            wrong.add("the body is not JSON: " + e.getMessage());
            return wrong;
        }
        if (problem == null || !problem.isObject()) {
            wrong.add("the body is not a JSON object");
            return wrong;
        }
        if (problem.path("status").asInt() != status) {
            wrong.add("problem status " + problem.path("status") + " differs from the HTTP status");
        }
        if (!problem.path("type").asText().startsWith("https://jobpipeline.io/problems/")) {
            wrong.add("problem type " + problem.path("type"));
        }
        if (problem.path("title").asText().isBlank()) {
            wrong.add("no title");
        }
        if (problem.path("detail").asText().isBlank()) {
            wrong.add("no detail");
        }
        if (status == 422 && problem.path("errors").isEmpty()) {
            wrong.add("a 422 without errors");
        }
        if (input.expect().clues().stream().noneMatch(c -> says(problem, c))) {
            wrong.add("the problem does not say what is wrong; expected it to mention one of " + input.expect().clues().stream()
                    .map(c -> c.pointer() == null ? "'" + c.word() + "'" : "an error at '" + c.pointer() + "'" + (c.word() == null ? "" : " about '" + c.word() + "'"))
                    .collect(Collectors.joining(", ")));
        }
        return wrong;
    }

    private static boolean says(JsonNode problem, Clue clue) {
        List<JsonNode> errors = new ArrayList<>();
        problem.path("errors").forEach(errors::add);
        if (clue.pointer() != null) {
            return errors.stream().anyMatch(e -> e.path("pointer").asText().equals(clue.pointer())
                    && (clue.word() == null || containsIgnoringCase(e.path("message").asText(), clue.word())));
        }
        return containsIgnoringCase(problem.path("detail").asText(), clue.word())
                || errors.stream().anyMatch(e -> containsIgnoringCase(e.path("message").asText(), clue.word()));
    }

    private static boolean containsIgnoringCase(String text, String word) {
        return text.toLowerCase(Locale.ROOT).contains(word.toLowerCase(Locale.ROOT));
    }

    /** The APIGatewayV2HTTPResponse the intake returns to Lambda, serialised: what Lambda's response limit applies to. */
    private static int lambdaResponseSize(Answer answer) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("statusCode", answer.status());
        response.put("headers", Map.of("content-type", answer.contentType()));
        response.put("body", new String(answer.body(), StandardCharsets.UTF_8));
        response.put("isBase64Encoded", false);
        try {
            return JSON.writeValueAsBytes(response).length;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Input input, Answer answer, List<String> problems) {
        return "[seed " + SEED + "] " + input.label() + "\n"
                + "  sent:     POST /jobs, " + (input.contentType() == null ? "no content-type" : "content-type '" + input.contentType() + "'")
                + ", " + input.body().length + " bytes: " + preview(input.body(), 200) + "\n"
                + "  answered: " + (answer.failure() != null ? answer.failure()
                : answer.status() + " '" + answer.contentType() + "', " + answer.body().length + " bytes: " + preview(answer.body(), 400)) + "\n"
                + "  wrong:    " + String.join("; ", problems);
    }

    /** The start of a body with anything unprintable escaped, so a failure names its input exactly. */
    static String preview(byte[] body, int max) {
        byte[] head = Arrays.copyOf(body, Math.min(body.length, max));
        StringBuilder out = new StringBuilder();
        if (RequestBodies.isUtf8(head)) {
            out.append(RequestBodies.visible(new String(head, StandardCharsets.UTF_8)));
        } else {
            for (byte value : head) {
                int b = value & 0xFF;
                out.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02X", b));
            }
        }
        return out + (body.length > max ? "…" : "");
    }

    // --- sending ----------------------------------------------------------------------------------------------------

    private static Answer send(HttpClient client, URI jobs, String token, Input input) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(jobs).timeout(Duration.ofSeconds(60))
                    .header("authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(input.body()));
            if (input.contentType() != null) {
                request.header("content-type", input.contentType());
            }
            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""), response.body(), null,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            return new Answer(0, "", new byte[0], e.toString(), 0);
        }
    }

    static long jobCount(DynamoDbClient dynamo) {
        return dynamo.scanPaginator(b -> b.tableName("JobsTable").filterExpression("SK = :job")
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromS("JOB")))).items().stream().count();
    }
}
