package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.core.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.Rule;

/**
 * Event pattern semantics through TestEventPattern, which AWS serves too: each operator on events it must and must not
 * match, and the template's own rules (read back with ListRules) on the job events they must and must not select.
 */
class EventPatternParityTest {

    private final ParityTarget target = ParityTarget.get();

    @Test
    void prefixMatchesTheStartOfAStringCaseSensitively() {
        String pattern = "{\"detail\": {\"type\": [{\"prefix\": \"vehicle.\"}]}}";
        assertMatches(pattern, detail("type", "vehicle.register"), true);
        assertMatches(pattern, detail("type", "vehicle."), true);
        assertMatches(pattern, detail("type", "Vehicle.register"), false);
        assertMatches(pattern, detail("type", "inspection.vehicle.submit"), false);
    }

    @Test
    void suffixMatchesTheEndOfAString() {
        String pattern = "{\"detail\": {\"type\": [{\"suffix\": \".submit\"}]}}";
        assertMatches(pattern, detail("type", "inspection.submit"), true);
        assertMatches(pattern, detail("type", "inspection.submitted"), false);
        assertMatches(pattern, detail("type", "inspection.SUBMIT"), false);
    }

    @Test
    void numericRangesMatchNumbersOnly() {
        String pattern = "{\"detail\": {\"attempt\": [{\"numeric\": [\">\", 0, \"<=\", 5]}]}}";
        assertMatches(pattern, detail("attempt", 1), true);
        assertMatches(pattern, detail("attempt", 5), true);
        assertMatches(pattern, detail("attempt", 2.5), true);
        assertMatches(pattern, detail("attempt", 0), false);
        assertMatches(pattern, detail("attempt", 6), false);
        assertMatches(pattern, detail("attempt", "3"), false);
        String equal = "{\"detail\": {\"attempt\": [{\"numeric\": [\"=\", 300]}]}}";
        assertMatches(equal, detail("attempt", 300.0), true);
        assertMatches(equal, detail("attempt", 300), true);
    }

    @Test
    void anythingButExcludesValuesAndPrefixes() {
        String values = "{\"detail\": {\"status\": [{\"anything-but\": [\"COMPLETED\", \"FAILED\"]}]}}";
        assertMatches(values, detail("status", "QUEUED"), true);
        assertMatches(values, detail("status", "FAILED"), false);
        assertMatches(values, detail("status", "COMPLETED"), false);
        String prefix = "{\"detail\": {\"producer\": [{\"anything-but\": {\"prefix\": \"test-\"}}]}}";
        assertMatches(prefix, detail("producer", "fleet-app"), true);
        assertMatches(prefix, detail("producer", "test-app"), false);
    }

    @Test
    void existsTrueAndFalseTestAFieldsPresence() {
        String present = "{\"detail\": {\"callbackUrl\": [{\"exists\": true}]}}";
        String absent = "{\"detail\": {\"callbackUrl\": [{\"exists\": false}]}}";
        Map<String, Object> with = detail("callbackUrl", "https://example.com/hook");
        Map<String, Object> without = detail("jobId", "j-1");
        assertMatches(present, with, true);
        assertMatches(present, without, false);
        assertMatches(absent, with, false);
        assertMatches(absent, without, true);
    }

    @Test
    void orMatchesWhenAnyBranchMatches() {
        String pattern = "{\"source\": [\"jobs.pipeline\"], \"$or\": [{\"detail-type\": [\"JobDeadLettered\"]},"
                + " {\"detail\": {\"attempt\": [{\"numeric\": [\">=\", 3]}]}}]}";
        assertMatches(pattern, event("jobs.pipeline", "JobDeadLettered", Map.of("attempt", 1)), true);
        assertMatches(pattern, event("jobs.pipeline", "JobFailed", Map.of("attempt", 3)), true);
        assertMatches(pattern, event("jobs.pipeline", "JobFailed", Map.of("attempt", 2)), false);
        assertMatches(pattern, event("other.source", "JobDeadLettered", Map.of("attempt", 3)), false);
    }

    @Test
    void wildcardMatchesAnyRunOfCharacters() {
        String pattern = "{\"detail\": {\"type\": [{\"wildcard\": \"vehicle.*.v*\"}]}}";
        assertMatches(pattern, detail("type", "vehicle.register.v2"), true);
        assertMatches(pattern, detail("type", "vehicle..v"), true);
        assertMatches(pattern, detail("type", "vehicle.register"), false);
        assertMatches(pattern, detail("type", "fleet.vehicle.register.v2"), false);
    }

    @Test
    void equalsIgnoreCaseMatchesAnyCase() {
        String pattern = "{\"detail-type\": [{\"equals-ignore-case\": \"jobcompleted\"}]}";
        assertMatches(pattern, event("jobs.pipeline", "JobCompleted", Map.of()), true);
        assertMatches(pattern, event("jobs.pipeline", "JOBCOMPLETED", Map.of()), true);
        assertMatches(pattern, event("jobs.pipeline", "JobCompletedLate", Map.of()), false);
    }

    @Test
    void templateRulesSelectTheJobEventsTheyAreFor() {
        String outcomes = rulePattern("NotificationFunctionJobOutcomes");
        String all = rulePattern("AnalyticsFunctionAllJobEvents");
        Map<String, Object> withCallback = Map.of("jobId", "j-1", "callbackUrl", "https://example.com/hook");
        Map<String, Object> plain = Map.of("jobId", "j-1");
        for (String type : List.of("JobAccepted", "JobCompleted", "JobFailed", "JobDeadLettered")) {
            assertMatches(all, event(JobEvents.SOURCE, type, plain), true);
        }
        assertMatches(all, event(JobEvents.SOURCE, "VehicleRegistered", plain), false);
        assertMatches(all, event("parity.putevents", "JobCompleted", plain), false);

        assertMatches(outcomes, event(JobEvents.SOURCE, "JobCompleted", withCallback), true);
        assertMatches(outcomes, event(JobEvents.SOURCE, "JobCompleted", plain), false);
        assertMatches(outcomes, event(JobEvents.SOURCE, "JobFailed", plain), true);
        assertMatches(outcomes, event(JobEvents.SOURCE, "JobDeadLettered", plain), true);
        assertMatches(outcomes, event(JobEvents.SOURCE, "JobAccepted", withCallback), false);
        assertMatches(outcomes, event("parity.putevents", "JobFailed", plain), false);
    }

    @Test
    void anInvalidPatternIsAnInvalidEventPatternException() {
        String event = Json.write(event(JobEvents.SOURCE, "JobCompleted", Map.of("jobId", "j-1")));
        for (String pattern : List.of("{\"source\": \"jobs.pipeline\"}", "{\"source\": [", "{\"detail\": {\"attempt\": [{\"numeric\": [\">\"]}]}}")) {
            assertThatThrownBy(() -> target.events.testEventPattern(b -> b.eventPattern(pattern).event(event)))
                    .as(pattern).isInstanceOf(InvalidEventPatternException.class);
        }
    }

    private void assertMatches(String pattern, Map<String, Object> event, boolean expected) {
        String json = Json.write(event);
        assertThat(target.events.testEventPattern(b -> b.eventPattern(pattern).event(json)).result())
                .as("%s on %s", pattern, json).isEqualTo(expected);
    }

    /** The rule's pattern as the bus holds it (ListRules), not as the template spells it. */
    private String rulePattern(String logicalName) {
        String arn = target.ruleArn(logicalName);
        Rule rule = target.events.listRules(b -> b.eventBusName(target.busName()).namePrefix(arn.substring(arn.lastIndexOf('/') + 1)))
                .rules().getFirst();
        return rule.eventPattern();
    }

    private Map<String, Object> detail(String field, Object value) {
        return event("jobs.pipeline", "JobCompleted", Map.of(field, value));
    }

    /** An envelope with every field TestEventPattern requires; account and region are the bus's own. */
    private Map<String, Object> event(String source, String detailType, Map<String, Object> detail) {
        String[] arn = target.busArn().split(":");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", detailType);
        event.put("source", source);
        event.put("account", arn[4]);
        event.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", arn[3]);
        event.put("resources", List.of());
        event.put("detail", detail);
        return event;
    }
}
