package io.jobpipeline.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.jobpipeline.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code Idempotency-Key} request header: 1 to 255 printable ASCII characters. */
record IdempotencyKey(String value) {
    static final String HEADER = "idempotency-key";
    private static final Pattern SHAPE = Pattern.compile("[\\x20-\\x7E]{1,255}");
    /** Sorted properties: the same JSON sent again with its keys in another order or spaced differently is the same body. */
    private static final ObjectMapper CANONICAL = Json.MAPPER.copy().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    IdempotencyKey {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("the Idempotency-Key header must be 1 to 255 printable ASCII characters"
                    + (value == null ? "" : " (got " + value.length() + " characters"
                    + (value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E) ? ")" : ", not all printable ASCII)")));
        }
    }

    /** The request's key, if it sent the header; throws {@link IllegalArgumentException} for a malformed one. */
    static Optional<IdempotencyKey> of(Map<String, String> headers) {
        String raw = RequestBody.header(headers, HEADER);
        return raw == null ? Optional.empty() : Optional.of(new IdempotencyKey(raw));
    }

    /** SHA-256 (hex) of the body's canonical JSON: what "the same body" means for a key. */
    static String bodyHash(JsonNode body) {
        try {
            byte[] canonical = CANONICAL.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a request body", e);
        }
    }
}
