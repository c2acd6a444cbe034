package io.jobpipeline.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.contract.Violation;
import org.junit.jupiter.api.Test;

class JsonScreenTest {

    @Test
    void numbersADoubleHoldsArePutBackAsDoubles() throws Exception {
        JsonNode body = exact("{\"a\":0.1,\"b\":[2.5,1e300],\"c\":7}");

        assertThat(JsonScreen.screen(body, "")).isEmpty();
        assertThat(body.get("a").isDouble()).isTrue();
        assertThat(body.at("/b/1").doubleValue()).isEqualTo(1e300);
        assertThat(body.get("c").isInt()).isTrue();
    }

    @Test
    void numbersADoubleWouldTurnIntoWholeNumbersOrInfinityAreRefused() throws Exception {
        assertThat(JsonScreen.screen(exact("{\"delaySeconds\":1e-400,\"x\":[5.000000000000000001],\"y\":-1e400}"), "/jobs/2"))
                .extracting(Violation::pointer).containsExactly("/jobs/2/delaySeconds", "/jobs/2/x/0", "/jobs/2/y");
    }

    @Test
    void stringsSqsCannotCarryAreRefusedWhereverTheyAre() throws Exception {
        JsonNode body = exact("{\"payload\":{\"plate\":\"B-\\ud800\",\"a/b\":\"\\uffff\",\"ok\":\"\\ud83d\\ude9a\"},\"\\udc00\":1}");

        assertThat(JsonScreen.screen(body, "")).extracting(Violation::pointer)
                .containsExactly("/payload/plate", "/payload/a~1b", "/\udc00");
        assertThat(JsonScreen.screen(body, "").get(0).message()).contains("unpaired surrogate");
    }

    private static JsonNode exact(String json) throws Exception {
        return Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
    }
}
