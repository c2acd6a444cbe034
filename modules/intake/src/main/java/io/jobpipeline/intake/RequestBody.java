package io.jobpipeline.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.jobpipeline.core.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** Turns an HTTP request body into a JSON tree, or the problem that says why it cannot be one. */
final class RequestBody {
    /** SQS's message limit; a job bigger than this could never be queued. */
    static final int MAX_BYTES = 256 * 1024;
    /**
     * Nothing may follow the object (a second document, a comment, a stray NUL), and numbers keep their exact value:
     * 5.000000000000000001 or 1e-400 read as doubles would pass an integer schema as 5 and 0 ({@link JsonScreen}).
     */
    private static final ObjectReader STRICT = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private RequestBody() {}

    sealed interface Parsed permits Ok, Rejected {}

    record Ok(JsonNode json) implements Parsed {}

    record Rejected(Problem problem) implements Parsed {}

    static Parsed parse(APIGatewayV2HTTPEvent event) {
        return parse(event, MAX_BYTES, "a job may be at most 262144 bytes (256 KiB), the SQS message size limit");
    }

    /** {@code limit}: what the 413 says about {@code maxBytes}. */
    static Parsed parse(APIGatewayV2HTTPEvent event, int maxBytes, String limit) {
        String contentType = header(event.getHeaders(), "content-type");
        if (contentType == null || !isJson(contentType)) {
            return new Rejected(Problem.of(415, "unsupported-media-type", "Unsupported Media Type",
                    "send the body as application/json (got " + (contentType == null ? "no content-type" : "'" + contentType + "'") + ")"));
        }
        byte[] bytes = bytes(event);
        if (bytes.length > maxBytes) {
            return new Rejected(Problem.of(413, "payload-too-large", "Payload Too Large",
                    "the body is " + bytes.length + " bytes; " + limit));
        }
        if (bytes.length == 0) {
            return new Rejected(Problem.of(400, "malformed-json", "Malformed JSON", "the body is empty; send a JSON object"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new Rejected(Problem.of(400, "malformed-json", "Malformed JSON", "the body is not valid UTF-8"));
        }
        try {
            JsonNode json = STRICT.readTree(text);
            if (json == null || !json.isObject()) {
                return new Rejected(Problem.of(400, "malformed-json", "Malformed JSON", "the body must be a JSON object"));
            }
            return new Ok(json);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return new Rejected(Problem.of(400, "malformed-json", "Malformed JSON", "the body is not valid JSON" + where + ": " + e.getOriginalMessage()));
        }
    }

    static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static byte[] bytes(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }
}
