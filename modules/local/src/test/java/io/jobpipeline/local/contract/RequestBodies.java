package io.jobpipeline.local.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How {@link BadInputs} makes its bodies: JSON edited at a pointer (as a tree or as raw text), bytes cut, padded and
 * spliced, the positions inside strings and between tokens, and UTF-8 checks; plus readable names for what it made.
 */
final class RequestBodies {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RequestBodies() {
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static boolean isOfKind(JsonNode value, String kind) {
        return switch (kind) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** {@code base} with the value at {@code pointer} (which must exist or be a new member of an object) replaced. */
    static String with(String base, String pointer, JsonNode value) {
        JsonNode root = tree(base);
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else {
            throw new IllegalArgumentException(pointer + " in " + base);
        }
        return write(root);
    }

    /** As {@link #with}, but the value is raw JSON text put in as it is (numbers Jackson would round, escapes it would decode). */
    static String withRaw(String base, String pointer, String rawValue) {
        String marker = "\"@@RAW@@\"";
        return with(base, pointer, MAPPER.getNodeFactory().textNode("@@RAW@@")).replace(marker, rawValue);
    }

    static String without(String base, String pointer) {
        JsonNode root = tree(base);
        int slash = pointer.lastIndexOf('/');
        ((ObjectNode) root.at(pointer.substring(0, slash))).remove(pointer.substring(slash + 1));
        return write(root);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String items(int n) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append("{\"name\":\"item ").append(i).append("\",\"ok\":true}");
        }
        return s.append(']').toString();
    }

    static String q(String text) {
        return MAPPER.getNodeFactory().textNode(text).toString();
    }

    static String placed(String value, String insert, String where) {
        return switch (where) {
            case "start" -> insert + value;
            case "end" -> value + insert;
            default -> value.substring(0, value.length() / 2) + insert + value.substring(value.length() / 2);
        };
    }

    static byte[] padWithSpaces(String json, int size) {
        byte[] body = utf8(json);
        byte[] out = filled(size, (byte) ' ');
        System.arraycopy(body, 0, out, 0, body.length);
        return out;
    }

    /** {@code json} (a vehicle.register) with its {@code field} string made as long as needed for a body of {@code size} bytes. */
    static byte[] withStringOfSize(String json, String field, int size) {
        String empty = with(json, "/payload/" + field, MAPPER.getNodeFactory().textNode(""));
        int fill = size - utf8(empty).length;
        return utf8(with(json, "/payload/" + field, MAPPER.getNodeFactory().textNode("x".repeat(fill))));
    }

    static byte[] filled(int size, byte b) {
        byte[] out = new byte[size];
        Arrays.fill(out, b);
        return out;
    }

    /** Byte offsets strictly inside string tokens (keys and values), between whole characters and not after a backslash. */
    static List<Integer> stringInteriorPositions(byte[] json) {
        List<Integer> positions = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (!inString) {
                if (b == '"') {
                    inString = true;
                }
                continue;
            }
            if (b == '\\') {
                i++; // the escaped character
                continue;
            }
            if (b == '"') {
                inString = false;
                continue;
            }
            if ((b & 0xC0) != 0x80 && json[i - 1] != '\\') {
                positions.add(i);
            }
        }
        return positions;
    }

    /** Byte offsets right after a structural character outside strings. */
    static List<Integer> tokenBoundaries(byte[] json) {
        List<Integer> positions = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[' || b == ',' || b == ':') {
                positions.add(i + 1);
            }
        }
        return positions;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static byte[] insert(byte[] body, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + what.length);
        out.write(body, 0, at);
        out.write(what, 0, what.length);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 45) + "…(" + text.length() + " chars)";
    }

    /** Control characters and non-ASCII shown as escapes, so names and failures print readably. */
    static String visible(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029 || c == 0xFEFF || Character.isSurrogate((char) c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
