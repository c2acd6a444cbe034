package io.jobpipeline.core.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.JobRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validates job requests against the files in {@code contracts/} (packaged on the classpath): the request envelope
 * first, then the payload against {@code contracts/jobs/<type>.schema.json}. Every violation is reported, not the first.
 */
public final class JobContracts {
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");
    private static final String ROOT = "contracts/";

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .regularExpressionFactory(EcmaScriptAnchors.INSTANCE)
            .build();
    private final JsonSchema requestSchema;
    private final Map<String, Optional<JsonSchema>> payloadSchemas = new ConcurrentHashMap<>();
    private final ClassLoader loader;

    public JobContracts() {
        this.loader = JobContracts.class.getClassLoader();
        this.requestSchema = schema(ROOT + "job-request.schema.json")
                .orElseThrow(() -> new IllegalStateException("contracts/job-request.schema.json is not on the classpath"));
    }

    /** The request, once it satisfies the envelope schema and its type's payload schema. */
    public JobRequest validate(JsonNode body) throws ContractViolation {
        List<Violation> envelope = check(requestSchema, body, "");
        if (!envelope.isEmpty()) {
            throw new ContractViolation("the job request breaks contracts/job-request.schema.json", envelope);
        }
        JobRequest request = Json.convert(body, JobRequest.class);
        JsonSchema payloadSchema = payloadSchema(request.type()).orElseThrow(() -> new ContractViolation(
                "unknown job type '" + request.type() + "'",
                List.of(new Violation("/type", "no schema contracts/jobs/" + request.type() + ".schema.json"))));
        List<Violation> payload = check(payloadSchema, request.payload(), "/payload");
        if (!payload.isEmpty()) {
            throw new ContractViolation("the payload breaks contracts/jobs/" + request.type() + ".schema.json", payload);
        }
        return request;
    }

    public boolean knows(String type) {
        return payloadSchema(type).isPresent();
    }

    private Optional<JsonSchema> payloadSchema(String type) {
        if (type == null || !TYPE_NAME.matcher(type).matches()) {
            return Optional.empty();
        }
        return payloadSchemas.computeIfAbsent(type, t -> schema(ROOT + "jobs/" + t + ".schema.json"));
    }

    private Optional<JsonSchema> schema(String resource) {
        if (loader.getResource(resource) == null) {
            return Optional.empty();
        }
        return Optional.of(factory.getSchema(SchemaLocation.of("classpath:" + resource), config));
    }

    private static List<Violation> check(JsonSchema schema, JsonNode node, String prefix) {
        Set<ValidationMessage> messages = schema.validate(node);
        List<Violation> violations = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            String pointer = prefix + m.getInstanceLocation().toString();
            violations.add(new Violation(pointer.isEmpty() ? "" : pointer, m.getError()));
        }
        violations.sort(Comparator.comparing(Violation::pointer).thenComparing(Violation::message));
        return violations;
    }

}
