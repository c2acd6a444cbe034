package io.jobpipeline.local.contract;

import static io.jobpipeline.local.contract.OpenApiDocument.*;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.jobpipeline.core.contract.ContractViolation;
import io.jobpipeline.core.contract.JobContracts;
import io.jobpipeline.local.template.HttpRoute;
import io.jobpipeline.local.template.StackTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * {@code contracts/openapi.yaml} is a complete, self-consistent OpenAPI 3.1 document: every {@code $ref} resolves,
 * every example is valid against the schema it illustrates (JSON Schema 2020-12), and its routes are exactly the
 * intake's routes in template.yaml (plus the local stack's own {@code GET /health}).
 */
class OpenApiDocumentTest {
    static final Path TEMPLATE = Path.of("../../template.yaml");
    static final Path INTAKE_SOURCES = Path.of("../intake/src/main/java/io/jobpipeline/intake");
    static final String PROBLEMS = "https://jobpipeline.io/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode doc;

    @BeforeAll
    static void load() {
        doc = OpenApiDocument.doc();
    }

    @Test
    void isOpenApi31WithTheBasics() {
        assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isNotBlank();
        assertThat(doc.path("jsonSchemaDialect").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        JsonNode scheme = doc.path("components").path("securitySchemes").path("producerJwt");
        assertThat(scheme.path("type").asText()).isEqualTo("http");
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        assertThat(scheme.path("bearerFormat").asText()).isEqualTo("JWT");
        assertThat(doc.path("security").get(0).has("producerJwt")).as("the whole API needs a producer's token").isTrue();
    }

    /** YAML 1.1 readers (snakeyaml, Jackson) and YAML 1.2 readers must see the same JSON: no unquoted dates, yes/no, 0777. */
    @Test
    void everyYamlReaderSeesTheSameDocument() throws IOException {
        JsonNode core = JSON.valueToTree(readYaml(new CoreSchemaResolver()));
        assertThat(core).as("openapi.yaml read with YAML 1.2's core schema").isEqualTo(doc);
        List<String> nonTextKeys = new ArrayList<>();
        checkKeys(readYaml(new Resolver()), "", nonTextKeys);
        assertThat(nonTextKeys).as("mapping keys that YAML reads as something other than text (quote them)").isEmpty();
    }

    @Test
    void everyRefResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        checkRefs(OPENAPI, doc, broken, seen, new TreeSet<>());
        assertThat(broken).as("$refs that do not resolve").isEmpty();
        assertThat(seen).as("$refs followed").hasSizeGreaterThan(30)
                .contains("./job-request.schema.json", "#/components/schemas/Problem");
    }

    @Test
    void submitJobTakesTheJobRequestContract() {
        JsonNode body = doc.at("/paths/~1jobs/post/requestBody");
        assertThat(body.path("required").asBoolean()).isTrue();
        assertThat(body.at("/content/application~1json/schema")).isEqualTo(JSON.createObjectNode().put("$ref", "./job-request.schema.json"));
    }

    @Test
    void everyExampleIsValidAgainstTheSchemaItIllustrates() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.schemas(OpenApiDocument::schemaText)));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER).formatAssertionsEnabled(true).build();
        List<String> invalid = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        forEachExample((schemaPointer, example) -> {
            JsonSchema schema = factory.getSchema(SchemaLocation.of(OPENAPI_IRI + "#" + uriFragment(schemaPointer)), config);
            Set<ValidationMessage> messages = schema.validate(example.value());
            messages.forEach(m -> invalid.add(example.where() + ": " + m.getInstanceLocation() + " " + m.getMessage()));
            checked.add(example.where());
        });
        assertThat(invalid).as("examples that break their schema").isEmpty();
        assertThat(checked).as("examples checked").hasSizeGreaterThan(40);
    }

    /** The job requests shown must be jobs the intake accepts: envelope and payload against contracts/ as the intake checks them. */
    @Test
    void jobRequestExamplesPassTheIntakesContracts() {
        JobContracts contracts = new JobContracts();
        JsonNode examples = doc.at("/paths/~1jobs/post/requestBody/content/application~1json/examples");
        assertThat(examples.size()).isGreaterThanOrEqualTo(2);
        Set<String> types = new TreeSet<>();
        for (JsonNode example : examples) {
            JsonNode value = resolveExample(example).path("value");
            try {
                types.add(contracts.validate(value).type());
            } catch (ContractViolation v) {
                throw new AssertionError("example " + value + " is rejected: " + v.getMessage() + " " + v.violations(), v);
            }
        }
        assertThat(types).containsExactlyInAnyOrder("vehicle.register", "inspection.submit");
        // the valid job of the batch example, too
        JsonNode first = doc.at("/paths/~1jobs~1batch/post/requestBody/content/application~1json/examples/mixed/value/jobs/0");
        try {
            contracts.validate(first);
        } catch (ContractViolation v) {
            throw new AssertionError("batch example job 0 is rejected: " + v.violations(), v);
        }
    }

    @Test
    void routesAreExactlyTheIntakeRoutesOfTheTemplate() throws Exception {
        List<HttpRoute> routes = StackTemplate.load(TEMPLATE).functions().get("IntakeFunction").httpRoutes();
        Set<String> template = routes.stream().map(r -> r.method().toUpperCase() + " " + r.path()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        Set<String> localOnly = new TreeSet<>();
        forEachOperation((route, operation) -> (operation.path("x-local-only").asBoolean(false) ? localOnly : documented).add(route));
        assertThat(documented).as("operations in openapi.yaml vs the IntakeFunction's HttpApi events").isEqualTo(template);
        assertThat(localOnly).as("routes the local stack answers itself").containsExactly("GET /health");
        assertThat(template).doesNotContainAnyElementsOf(localOnly);
    }

    /** INTERFACE.md's statuses, each with its headers; producers' routes need a token and document its 401. */
    @Test
    void everyOperationDocumentsItsStatuses() {
        assertThat(statuses("/jobs", "post")).contains("202", "400", "401", "409", "413", "415", "422", "503");
        assertThat(statuses("/jobs/batch", "post")).contains("200", "400", "401", "413", "415", "422");
        assertThat(statuses("/jobs/{id}", "get")).contains("200", "401", "404");
        assertThat(statuses("/stats", "get")).contains("200", "401");
        assertThat(statuses("/health", "get")).containsExactlyInAnyOrder("200", "503");
        assertThat(response("/jobs", "post", "202").at("/headers/Location")).isNotEmpty();
        assertThat(resolve(response("/jobs", "post", "503")).at("/headers/Retry-After")).isNotEmpty();
        assertThat(doc.at("/paths/~1jobs/post/parameters/0/$ref").asText()).isEqualTo("#/components/parameters/IdempotencyKey");
        JsonNode key = doc.at("/components/parameters/IdempotencyKey");
        assertThat(key.path("name").asText()).isEqualTo("Idempotency-Key");
        assertThat(key.at("/schema/minLength").asInt()).isEqualTo(1);
        assertThat(key.at("/schema/maxLength").asInt()).isEqualTo(255);
        assertThat(doc.at("/paths/~1health/get/security")).as("health needs no token").isEmpty();
        assertThat(doc.at("/components/schemas/JobStatus/enum")).extracting(JsonNode::asText)
                .containsExactly("QUEUED", "RUNNING", "COMPLETED", "FAILED", "DEAD_LETTERED");
    }

    /** Every request body and every response shows at least one example for each of its media types. */
    @Test
    void everyBodyHasExamples() {
        List<String> missing = new ArrayList<>();
        forEachOperation((route, operation) -> {
            JsonNode body = resolve(operation.path("requestBody"));
            body.path("content").fields().forEachRemaining(mt -> {
                if (!hasExamples(mt.getValue())) {
                    missing.add(route + " request " + mt.getKey());
                }
            });
            operation.path("responses").fields().forEachRemaining(r -> {
                JsonNode response = resolve(r.getValue());
                assertThat(response.path("content").size()).as(route + " " + r.getKey() + " has a body").isPositive();
                response.path("content").fields().forEachRemaining(mt -> {
                    if (!hasExamples(mt.getValue())) {
                        missing.add(route + " " + r.getKey() + " " + mt.getKey());
                    }
                });
            });
        });
        assertThat(missing).as("bodies without examples").isEmpty();
    }

    /** Problems are problem+json with the shared schema, and each example's status is the response's own. */
    @Test
    void problemsAreProblemJsonWithTheirOwnStatus() {
        List<String> wrong = new ArrayList<>();
        forEachOperation((route, operation) -> operation.path("responses").fields().forEachRemaining(r -> {
            JsonNode problem = resolve(r.getValue()).at("/content/application~1problem+json");
            if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                if (problem.isMissingNode() && !route.equals("GET /health") && !r.getKey().equals("401")) {
                    wrong.add(route + " " + r.getKey() + ": no application/problem+json");
                }
            }
            if (problem.isMissingNode()) {
                return;
            }
            if (!problem.at("/schema/$ref").asText().equals("#/components/schemas/Problem")) {
                wrong.add(route + " " + r.getKey() + ": not the shared Problem schema");
            }
            problem.path("examples").fields().forEachRemaining(e -> {
                JsonNode value = resolveExample(e.getValue()).path("value");
                if (!value.path("status").asText().equals(r.getKey())) {
                    wrong.add(route + " " + r.getKey() + " example " + e.getKey() + " has status " + value.path("status"));
                }
                if (!value.path("type").asText().startsWith(PROBLEMS)) {
                    wrong.add(route + " " + r.getKey() + " example " + e.getKey() + " has type " + value.path("type"));
                }
            });
        }));
        assertThat(wrong).isEmpty();
    }

    /**
     * Every problem type the intake answers with is documented with its status. The intake's "no route" 404 is left
     * out: API Gateway routes only the template's routes to it, so a producer never sees it.
     */
    @Test
    void everyProblemTypeTheIntakeUsesIsDocumented() throws IOException {
        Pattern use = Pattern.compile("Problem\\.(?:of|invalid)\\(\\s*(\\d{3})\\s*,\\s*\"([a-z0-9-]+)\"");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(INTAKE_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = use.matcher(Files.readString(file));
                while (m.find()) {
                    used.add(m.group(1) + " " + m.group(2));
                }
            }
        }
        used.remove("404 not-found");
        assertThat(used).as("problem types found in the intake's sources").contains("400 malformed-json", "422 invalid-job");
        Set<String> documented = new TreeSet<>();
        walk(doc, "", (pointer, node) -> {
            if (node.isObject() && node.path("type").asText().startsWith(PROBLEMS) && node.path("status").isInt()) {
                documented.add(node.path("status").asInt() + " " + node.path("type").asText().substring(PROBLEMS.length()));
            }
        });
        assertThat(documented).as("problem types shown in openapi.yaml's examples").containsAll(used);
    }

    @Test
    void everySharedExampleIsUsed() {
        Set<String> refs = new TreeSet<>();
        walk(doc, "", (pointer, node) -> {
            if (node.isObject() && node.path("$ref").isTextual()) {
                refs.add(node.path("$ref").asText());
            }
        });
        List<String> unused = new ArrayList<>();
        for (String section : List.of("examples", "responses", "parameters", "headers", "schemas")) {
            doc.path("components").path(section).fieldNames().forEachRemaining(name -> {
                if (!refs.contains("#/components/" + section + "/" + name)
                        && !(section.equals("schemas") && isDocumentationOnlySchema(name))) {
                    unused.add(section + "/" + name);
                }
            });
        }
        assertThat(unused).as("components nothing refers to").isEmpty();
    }

    /** The contracts listed for readers, not used by an operation: job payloads and the request envelope. */
    private static boolean isDocumentationOnlySchema(String name) {
        return Set.of("JobRequest", "VehicleRegisterPayload", "InspectionSubmitPayload").contains(name);
    }

    // --- walking the document ---------------------------------------------------------------------------------------

    record Example(String where, JsonNode value) {}

    /**
     * Calls back with (pointer to schema, example) for every example in the document: media types, parameters and
     * headers (their {@code example}/{@code examples} against their {@code schema}) and schemas' own {@code examples}.
     */
    private static void forEachExample(BiConsumer<String, Example> check) {
        walk(doc, "", (pointer, node) -> {
            if (!node.isObject()) {
                return;
            }
            if (node.path("schema").isObject() && !pointer.startsWith("/components/schemas")) {
                String schema = pointer + "/schema";
                if (node.has("example")) {
                    check.accept(schema, new Example(pointer + "/example", node.get("example")));
                }
                node.path("examples").fields().forEachRemaining(e -> check.accept(schema,
                        new Example(pointer + "/examples/" + e.getKey(), resolveExample(e.getValue()).path("value"))));
            }
            if (node.path("examples").isArray() && isSchemaPointer(pointer)) {
                int i = 0;
                for (JsonNode value : node.path("examples")) {
                    check.accept(pointer, new Example(pointer + "/examples/" + i++, value));
                }
            }
        });
    }

    /** Inside components/schemas, or under some schema of a media type, parameter or header. */
    private static boolean isSchemaPointer(String pointer) {
        return pointer.startsWith("/components/schemas/") || pointer.contains("/schema/") || pointer.endsWith("/schema");
    }

    private static void forEachOperation(BiConsumer<String, JsonNode> visit) {
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                visit.accept(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
            }
        }));
    }

    private static Set<String> statuses(String path, String method) {
        Set<String> codes = new TreeSet<>();
        doc.path("paths").path(path).path(method).path("responses").fieldNames().forEachRemaining(codes::add);
        return codes;
    }

    private static JsonNode response(String path, String method, String status) {
        return doc.path("paths").path(path).path(method).path("responses").path(status);
    }

    private static boolean hasExamples(JsonNode mediaType) {
        return mediaType.has("example") || mediaType.path("examples").size() > 0;
    }

    /** Follows a local $ref (responses, request bodies, examples); anything else as it is. */
    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.path("$ref").isTextual() && hops < 10; hops++) {
            String ref = current.path("$ref").asText();
            assertThat(ref).startsWith("#/");
            current = doc.at(ref.substring(1));
        }
        return current;
    }

    private static JsonNode resolveExample(JsonNode example) {
        JsonNode resolved = resolve(example);
        assertThat(resolved.has("value")).as("example " + example + " has a value").isTrue();
        return resolved;
    }

    private static void walk(JsonNode node, String pointer, BiConsumer<String, JsonNode> visit) {
        visit.accept(pointer, node);
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(e.getValue(), pointer + "/" + escape(e.getKey()), visit);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visit);
            }
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }


    // --- $refs ------------------------------------------------------------------------------------------------------

    private static void checkRefs(Path file, JsonNode root, List<String> broken, List<String> seen, Set<Path> visited) throws IOException {
        if (!visited.add(file.toAbsolutePath().normalize())) {
            return;
        }
        List<Map.Entry<String, String>> refs = new ArrayList<>();
        walk(root, "", (pointer, node) -> {
            if (node.isObject() && node.path("$ref").isTextual()) {
                refs.add(Map.entry(pointer, node.path("$ref").asText()));
            }
        });
        for (Map.Entry<String, String> entry : refs) {
            String where = CONTRACTS.relativize(file) + "#" + entry.getKey() + ": $ref '" + entry.getValue() + "'";
            String ref = entry.getValue();
            seen.add(ref);
            int hash = ref.indexOf('#');
            String target = hash < 0 ? ref : ref.substring(0, hash);
            String fragment = hash < 0 ? "" : ref.substring(hash + 1);
            Path targetFile = file;
            JsonNode targetRoot = root;
            if (!target.isEmpty()) {
                if (target.contains(":")) {
                    broken.add(where + " points outside contracts/");
                    continue;
                }
                targetFile = file.getParent().resolve(target).normalize();
                if (!targetFile.toAbsolutePath().normalize().startsWith(CONTRACTS.toAbsolutePath().normalize())) {
                    broken.add(where + " points outside contracts/");
                    continue;
                }
                if (!Files.isRegularFile(targetFile)) {
                    broken.add(where + ": no file " + targetFile);
                    continue;
                }
                targetRoot = JSON.readTree(targetFile.toFile());
                checkRefs(targetFile, targetRoot, broken, seen, visited);
            }
            if (!fragment.isEmpty() && (!fragment.startsWith("/") || targetRoot.at(fragment).isMissingNode())) {
                broken.add(where + ": nothing at " + fragment);
            }
        }
    }


    // --- YAML -------------------------------------------------------------------------------------------------------


    private static void checkKeys(Object node, String path, List<String> nonText) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>(map);
            copy.forEach((k, v) -> {
                if (!(k instanceof String)) {
                    nonText.add(path + "/" + k + " (" + k.getClass().getSimpleName() + ")");
                }
                checkKeys(v, path + "/" + k, nonText);
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkKeys(list.get(i), path + "/" + i, nonText);
            }
        }
    }

}
