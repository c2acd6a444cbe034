package io.jobpipeline.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.JobRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobContractsTest {
    private static final Path JOB_SCHEMAS =
            Path.of(System.getProperty("basedir", ".")).resolve("../../contracts/jobs").normalize();

    private final JobContracts contracts = new JobContracts();

    @Test
    void validVehicleRegistrationPasses() throws ContractViolation {
        JobRequest request = contracts.validate(Json.tree("""
                {"type": "vehicle.register",
                 "payload": {"vehicleId": "VAN-042", "plate": "B-JP 4242", "model": "Ford Transit"},
                 "callbackUrl": "https://example.com/hooks/jobs", "delaySeconds": 900}"""));

        assertThat(request.type()).isEqualTo("vehicle.register");
        assertThat(request.payload().get("plate").asText()).isEqualTo("B-JP 4242");
        assertThat(request.callbackUrl()).isEqualTo("https://example.com/hooks/jobs");
        assertThat(request.delay()).isEqualTo(900);
    }

    @Test
    void validInspectionPasses() throws ContractViolation {
        JobRequest request = contracts.validate(Json.tree("""
                {"type": "inspection.submit",
                 "payload": {"vehicleId": "VAN-042", "driverId": "D-7", "odometerKm": 0,
                             "items": [{"name": "brakes", "ok": true}, {"name": "tyres", "ok": false, "note": "worn"}]}}"""));

        assertThat(request.type()).isEqualTo("inspection.submit");
        assertThat(request.payload().get("items")).hasSize(2);
        assertThat(request.delay()).isZero();
    }

    @Test
    void inspectionWithThreeProblemsReportsAllThreeUnderPayload() {
        // driverId missing, items[0].ok not a boolean, odometerKm negative.
        ContractViolation violation = rejected("""
                {"type": "inspection.submit",
                 "payload": {"vehicleId": "VAN-042", "odometerKm": -1, "items": [{"name": "brakes", "ok": "yes"}]}}""");

        List<Violation> violations = violation.violations();
        assertThat(violations).hasSize(3);
        assertThat(violations).allSatisfy(v -> assertThat(v.pointer()).startsWith("/payload"));
        assertThat(violations).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/payload", "/payload/items/0/ok", "/payload/odometerKm");
        assertThat(violations).filteredOn(v -> v.pointer().equals("/payload"))
                .singleElement().satisfies(v -> assertThat(v.message()).contains("driverId"));
        assertThat(violation.getMessage()).contains("inspection.submit");
    }

    @Test
    void unknownTypeIsAViolationAtType() {
        ContractViolation violation = rejected("""
                {"type": "fleet.teleport", "payload": {}}""");

        assertThat(violation.violations()).singleElement()
                .satisfies(v -> assertThat(v.pointer()).isEqualTo("/type"));
        assertThat(violation.getMessage()).contains("unknown job type 'fleet.teleport'");
        assertThat(contracts.knows("fleet.teleport")).isFalse();
        assertThat(contracts.knows("vehicle.register")).isTrue();
    }

    @Test
    void delayAboveNineHundredSecondsIsRejectedNamingTheMaximum() {
        ContractViolation violation = rejected("""
                {"type": "vehicle.register", "delaySeconds": 901,
                 "payload": {"vehicleId": "VAN-042", "plate": "B-JP 4242", "model": "Ford Transit"}}""");

        assertThat(violation.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/delaySeconds");
            assertThat(v.message()).contains("900");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "Vehicle.Register", "../jobs/vehicle.register", "vehicle.register/../vehicle.register",
            "job-request", "jobs/vehicle.register", "vehicle.register.schema.json", "vehicle.register ", ""})
    void typesWithPathTricksAreUnknownNotExceptions(String type) {
        assertThat(contracts.knows(type)).isFalse();

        ObjectNode body = (ObjectNode) Json.tree("""
                {"payload": {"vehicleId": "VAN-042", "plate": "B-JP 4242", "model": "Ford Transit"}}""");
        body.put("type", type);
        ContractViolation violation = catchThrowableOfType(ContractViolation.class, () -> contracts.validate(body));

        assertThat(violation).as("type %s", type).isNotNull();
        assertThat(violation.violations()).extracting(Violation::pointer).contains("/type");
    }

    @Test
    void nullTypeIsUnknown() {
        assertThat(contracts.knows(null)).isFalse();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleOfEveryJobSchemaValidates() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(JOB_SCHEMAS)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".schema.json")).sorted().toList();
        }
        assertThat(files).as("job schemas in %s", JOB_SCHEMAS).isNotEmpty();

        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            String type = file.getFileName().toString().replaceFirst("\\.schema\\.json$", "");
            JsonNode examples = Json.tree(Files.readString(file)).path("examples");
            tests.add(dynamicTest(type + " is known and has examples", () -> {
                assertThat(contracts.knows(type)).isTrue();
                assertThat(examples.isArray() && !examples.isEmpty()).as("examples of " + file).isTrue();
            }));
            for (int i = 0; i < examples.size(); i++) {
                JsonNode example = examples.get(i);
                tests.add(dynamicTest(type + " example " + i, () -> {
                    ObjectNode body = Json.MAPPER.createObjectNode().put("type", type);
                    body.set("payload", example);
                    assertThat(contracts.validate(body).payload()).isEqualTo(example);
                }));
            }
        }
        return tests.stream();
    }

    private ContractViolation rejected(String json) {
        ContractViolation violation = catchThrowableOfType(ContractViolation.class, () -> contracts.validate(Json.tree(json)));
        assertThat(violation).as("expected a ContractViolation for %s", json).isNotNull();
        return violation;
    }
}
