package io.jobpipeline.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.core.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void oneTo255PrintableAsciiCharactersAreAKey() {
        assertThat(new IdempotencyKey("a").value()).isEqualTo("a");
        assertThat(new IdempotencyKey(" !~" + "x".repeat(252)).value()).hasSize(255);
        assertThat(new IdempotencyKey("0190c2a4-0000-7000-8000-000000000000").value()).isNotEmpty();
    }

    @Test
    void emptyTooLongOrNonAsciiKeysAreRefused() {
        assertThatThrownBy(() -> new IdempotencyKey("")).hasMessageContaining("1 to 255 printable ASCII").hasMessageContaining("got 0");
        assertThatThrownBy(() -> new IdempotencyKey("x".repeat(256))).hasMessageContaining("got 256");
        assertThatThrownBy(() -> new IdempotencyKey("clé")).hasMessageContaining("not all printable ASCII");
        assertThatThrownBy(() -> new IdempotencyKey("line\nbreak")).hasMessageContaining("not all printable ASCII");
    }

    @Test
    void theHeaderIsFoundWhateverItsCase() {
        assertThat(IdempotencyKey.of(Map.of("Idempotency-Key", "k"))).contains(new IdempotencyKey("k"));
        assertThat(IdempotencyKey.of(Map.of("idempotency-key", "k"))).contains(new IdempotencyKey("k"));
        assertThat(IdempotencyKey.of(Map.of("content-type", "application/json"))).isEmpty();
        assertThat(IdempotencyKey.of(null)).isEmpty();
    }

    @Test
    void theBodyHashIgnoresPropertyOrderAndSpacingButNotValues() {
        String hash = IdempotencyKey.bodyHash(Json.tree("{\"type\":\"a.b\",\"payload\":{\"x\":1,\"y\":[1,2]}}"));

        assertThat(hash).hasSize(64).matches("[0-9a-f]+");
        assertThat(IdempotencyKey.bodyHash(Json.tree("{ \"payload\" : { \"y\":[1,2], \"x\":1 },\n\"type\":\"a.b\" }"))).isEqualTo(hash);
        assertThat(IdempotencyKey.bodyHash(Json.tree("{\"type\":\"a.b\",\"payload\":{\"x\":1,\"y\":[2,1]}}"))).isNotEqualTo(hash);
        assertThat(IdempotencyKey.bodyHash(Json.tree("{\"type\":\"a.b\",\"payload\":{\"x\":2,\"y\":[1,2]}}"))).isNotEqualTo(hash);
    }
}
