package io.jobpipeline.local.contract;

import static io.jobpipeline.local.contract.RequestBodies.abbreviate;
import static io.jobpipeline.local.contract.RequestBodies.concat;
import static io.jobpipeline.local.contract.RequestBodies.filled;
import static io.jobpipeline.local.contract.RequestBodies.insert;
import static io.jobpipeline.local.contract.RequestBodies.isOfKind;
import static io.jobpipeline.local.contract.RequestBodies.isUtf8;
import static io.jobpipeline.local.contract.RequestBodies.items;
import static io.jobpipeline.local.contract.RequestBodies.padWithSpaces;
import static io.jobpipeline.local.contract.RequestBodies.placed;
import static io.jobpipeline.local.contract.RequestBodies.q;
import static io.jobpipeline.local.contract.RequestBodies.stringInteriorPositions;
import static io.jobpipeline.local.contract.RequestBodies.tokenBoundaries;
import static io.jobpipeline.local.contract.RequestBodies.tree;
import static io.jobpipeline.local.contract.RequestBodies.utf8;
import static io.jobpipeline.local.contract.RequestBodies.visible;
import static io.jobpipeline.local.contract.RequestBodies.with;
import static io.jobpipeline.local.contract.RequestBodies.withRaw;
import static io.jobpipeline.local.contract.RequestBodies.withStringOfSize;
import static io.jobpipeline.local.contract.RequestBodies.without;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of bad {@code POST /jobs} requests, each with what a right answer must say. The same seed gives
 * the same inputs; the seed only chooses positions, lengths, depths and values, so every category is always covered.
 */
final class BadInputs {
    /** Over this the intake answers 413: SQS's message size limit. */
    static final int MAX_BODY = 256 * 1024;

    /** Something the problem must say: an error at {@code pointer} (null: anywhere) and/or a word in it or the detail. */
    record Clue(String pointer, String word) {}

    /** The statuses that are right for an input, and clues of which the problem must match at least one. */
    record Expect(Set<Integer> statuses, List<Clue> clues) {}

    record Input(String category, String name, String contentType, byte[] body, Expect expect) {
        String label() {
            return category + ": " + name;
        }
    }

    // The valid requests everything below is made from (each is checked to be valid by the test).
    static final String VEHICLE = "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-042\",\"plate\":\"B-JP 4242\",\"model\":\"Ford Transit\"}}";
    static final String VEHICLE_FULL = "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"TRK-7\",\"plate\":\"M-ÜK 77\","
            + "\"model\":\"Škoda Octavia Kombi\"},\"callbackUrl\":\"https://hooks.example.com/fleet?source=fuzz\",\"delaySeconds\":900}";
    static final String INSPECTION = "{\"type\":\"inspection.submit\",\"payload\":{\"vehicleId\":\"VAN-042\",\"driverId\":\"D-7\","
            + "\"odometerKm\":120450,\"items\":[{\"name\":\"brakes\",\"ok\":true},{\"name\":\"tyres\",\"ok\":false,\"note\":\"front left worn\"}]},"
            + "\"callbackUrl\":\"https://hooks.example.com/fleet/inspections\",\"delaySeconds\":0}";
    static final String INSPECTION_UNICODE = "{\"type\":\"inspection.submit\",\"payload\":{\"vehicleId\":\"BUS-12\",\"driverId\":\"Zoë Müller\","
            + "\"odometerKm\":0,\"items\":[{\"name\":\"Bremsen\",\"ok\":true,\"note\":\"Reifen vorne links abgefahren – 🚗 ✓\"}]}}";
    static final List<String> VALID = List.of(VEHICLE, VEHICLE_FULL, INSPECTION, INSPECTION_UNICODE);

    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Random random;
    private final List<Input> inputs = new ArrayList<>();

    BadInputs(long seed) {
        this.random = new Random(seed);
    }

    List<Input> all() {
        truncated();
        wrongTypes();
        missingFields();
        outOfRange();
        deepNesting();
        hugeNumbers();
        hugeStrings();
        invalidUtf8();
        duplicateKeys();
        contentTypes();
        oversize();
        emptyBodies();
        notObjects();
        unknownFields();
        rawControlCharacters();
        escapedControlCharacters();
        loneSurrogates();
        charactersSqsRefuses();
        trailingData();
        syntaxErrors();
        manyViolations();
        return List.copyOf(inputs);
    }

    // --- the categories ---------------------------------------------------------------------------------------------

    /** Every prefix of every valid request, the empty one included. */
    private void truncated() {
        for (int v = 0; v < VALID.size(); v++) {
            byte[] full = utf8(VALID.get(v));
            for (int n = 0; n < full.length; n++) {
                byte[] prefix = Arrays.copyOf(full, n);
                Expect expect = n == 0 ? malformed("empty")
                        : isUtf8(prefix) ? malformed("not valid JSON", "end-of-input") : malformed("UTF-8");
                add("truncated", "valid request #" + v + " cut to " + n + " of " + full.length + " bytes", JSON, prefix, expect);
            }
        }
    }

    private static final List<String> ANY_VALUES = List.of("null", "true", "false", "0", "42", "-7", "1.5", "\"\"", "\"text\"",
            "\"42\"", "\"true\"", "[]", "[1]", "[\"a\"]", "{}", "{\"a\":1}");

    /** Each field of each valid request given a value of another JSON type. */
    private void wrongTypes() {
        record Field(String base, String pointer, String kind) {}
        List<Field> fields = List.of(
                new Field(VEHICLE_FULL, "/type", "string"), new Field(VEHICLE_FULL, "/payload", "object"),
                new Field(VEHICLE_FULL, "/callbackUrl", "string"), new Field(VEHICLE_FULL, "/delaySeconds", "integer"),
                new Field(VEHICLE, "/payload/vehicleId", "string"), new Field(VEHICLE, "/payload/plate", "string"),
                new Field(VEHICLE, "/payload/model", "string"),
                new Field(INSPECTION, "/payload/vehicleId", "string"), new Field(INSPECTION, "/payload/driverId", "string"),
                new Field(INSPECTION, "/payload/odometerKm", "integer"), new Field(INSPECTION, "/payload/items", "array"),
                new Field(INSPECTION, "/payload/items/0", "object"), new Field(INSPECTION, "/payload/items/0/name", "string"),
                new Field(INSPECTION, "/payload/items/0/ok", "boolean"), new Field(INSPECTION, "/payload/items/1/note", "string"));
        for (Field f : fields) {
            for (String value : ANY_VALUES) {
                if (!isOfKind(tree(value), f.kind())) {
                    add("wrong type", f.pointer() + " = " + value, JSON, utf8(with(f.base(), f.pointer(), tree(value))), invalid(f.pointer()));
                }
            }
        }
    }

    /** Each required field left out, and nothing at all. */
    private void missingFields() {
        String[][] fields = {{VEHICLE, "/type"}, {VEHICLE, "/payload"}, {VEHICLE, "/payload/vehicleId"}, {VEHICLE, "/payload/plate"},
                {VEHICLE, "/payload/model"}, {INSPECTION, "/payload/vehicleId"}, {INSPECTION, "/payload/driverId"},
                {INSPECTION, "/payload/odometerKm"}, {INSPECTION, "/payload/items"}, {INSPECTION, "/payload/items/0/name"},
                {INSPECTION, "/payload/items/0/ok"}};
        for (String[] f : fields) {
            String parent = f[1].substring(0, f[1].lastIndexOf('/'));
            String name = f[1].substring(f[1].lastIndexOf('/') + 1);
            add("missing field", "without " + f[1], JSON, utf8(without(f[0], f[1])), new Expect(Set.of(422), List.of(new Clue(parent, "'" + name + "'"))));
        }
        add("missing field", "{}", JSON, utf8("{}"), new Expect(Set.of(422), List.of(new Clue("", "'type'"))));
        add("missing field", "{\"payload\":{}}", JSON, utf8("{\"payload\":{}}"), new Expect(Set.of(422), List.of(new Clue("", "'type'"))));
    }

    /** Values of the right JSON type that the schemas still forbid: ranges, lengths, patterns, formats, unknown types. */
    private void outOfRange() {
        String[][] cases = {
                {INSPECTION, "/delaySeconds", "-1"}, {INSPECTION, "/delaySeconds", "901"}, {INSPECTION, "/delaySeconds", "2147483648"},
                {INSPECTION, "/delaySeconds", "9223372036854775808"}, {INSPECTION, "/delaySeconds", "-0.5"},
                {INSPECTION, "/delaySeconds", "900.5"}, {INSPECTION, "/delaySeconds", "900.0000000000001"},
                {INSPECTION, "/payload/odometerKm", "-1"}, {INSPECTION, "/payload/odometerKm", "10000001"},
                {INSPECTION, "/payload/odometerKm", "120450.5"},
                {VEHICLE, "/payload/vehicleId", "\"\""}, {VEHICLE, "/payload/vehicleId", q("A".repeat(65))},
                {VEHICLE, "/payload/vehicleId", "\"VAN 042\""}, {VEHICLE, "/payload/vehicleId", "\"VAN_042\""},
                {VEHICLE, "/payload/vehicleId", "\"VAN/042\""}, {VEHICLE, "/payload/vehicleId", "\"ÄVAN-042\""},
                {VEHICLE, "/payload/plate", "\"\""}, {VEHICLE, "/payload/plate", q("P".repeat(17))},
                {VEHICLE, "/payload/model", "\"\""}, {VEHICLE, "/payload/model", q("M".repeat(101))},
                {VEHICLE, "/payload/model", q("🚗".repeat(101))},
                {INSPECTION, "/payload/driverId", "\"\""}, {INSPECTION, "/payload/driverId", q("D".repeat(65))},
                {INSPECTION, "/payload/items", "[]"}, {INSPECTION, "/payload/items", items(101)},
                {INSPECTION, "/payload/items/0/name", "\"\""}, {INSPECTION, "/payload/items/0/name", q("n".repeat(101))},
                {INSPECTION, "/payload/items/1/note", q("x".repeat(1001))},
                {INSPECTION, "/callbackUrl", "\"\""}, {INSPECTION, "/callbackUrl", "\"ftp://example.com/hook\""},
                {INSPECTION, "/callbackUrl", "\"hooks.example.com/fleet\""}, {INSPECTION, "/callbackUrl", "\"javascript:alert(1)\""},
                {INSPECTION, "/callbackUrl", "\"https://exa mple.com/\""}, {INSPECTION, "/callbackUrl", "\"http://[::1/\""},
                {INSPECTION, "/callbackUrl", "\"mailto:ops@example.com\""}, {INSPECTION, "/callbackUrl", "\"file:///etc/passwd\""},
                {INSPECTION, "/callbackUrl", q("https://example.com/" + "a".repeat(2030))},
                {VEHICLE, "/type", "\"Vehicle.Register\""}, {VEHICLE, "/type", "\"VEHICLE.REGISTER\""}, {VEHICLE, "/type", "\"vehicle\""},
                {VEHICLE, "/type", "\".register\""}, {VEHICLE, "/type", "\"vehicle.\""}, {VEHICLE, "/type", "\"vehicle..register\""},
                {VEHICLE, "/type", "\"vehicle.register \""}, {VEHICLE, "/type", "\" vehicle.register\""},
                {VEHICLE, "/type", "\"vehicle_register\""}, {VEHICLE, "/type", "\"vehicle.register#\""},
                {VEHICLE, "/type", "\"vehicle.paint\""}, {VEHICLE, "/type", "\"vehicle.register.schema\""},
                {VEHICLE, "/type", "\"../../etc/passwd\""}, {VEHICLE, "/type", "\"jobs.vehicle.register\""},
                {VEHICLE, "/type", q("a".repeat(99) + ".b")},
        };
        for (String[] c : cases) {
            add("out of range", c[1] + " = " + abbreviate(c[2]), JSON, utf8(with(c[0], c[1], tree(c[2]))), invalid(c[1]));
        }
        // Doubles cannot hold these: the contract's "integer" must not be decided after rounding.
        add("out of range", "/delaySeconds = 1e-400 (0 as a double)", JSON, utf8(VEHICLE.replace("}}", "},\"delaySeconds\":1e-400}")), invalid("/delaySeconds"));
        add("out of range", "/delaySeconds = 5.000000000000000001 (5.0 as a double)", JSON,
                utf8(VEHICLE.replace("}}", "},\"delaySeconds\":5.000000000000000001}")), invalid("/delaySeconds"));
    }

    /** Nesting past Jackson's 1,000 levels (and some below it, where the schema has to say no). */
    private void deepNesting() {
        List<Integer> depths = new ArrayList<>(List.of(1001, 1024, 2000, 10_000, 100_000));
        for (int i = 0; i < 5; i++) {
            depths.add(1001 + random.nextInt(20_000));
        }
        for (int depth : depths) {
            nest("payload as nested arrays", depth, "{\"type\":\"vehicle.register\",\"payload\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            nest("model as nested objects", depth, "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":"
                    + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}}");
            nest("unknown field of nested arrays and objects", depth, "{\"type\":\"vehicle.register\",\"payload\":{},\"extra\":"
                    + "[{\"a\":".repeat(depth / 2) + "0" + "}]".repeat(depth / 2) + "}");
            nest("the body as nested arrays", depth, "[".repeat(depth) + "]".repeat(depth));
            nest("opened and never closed", depth, "{\"type\":\"vehicle.register\",\"payload\":" + "[".repeat(depth));
            nest("nested escaped strings", depth, "{\"type\":\"vehicle.register\",\"payload\":{\"a\":" + "{\"b\":".repeat(depth) + "\"\\u0000\""
                    + "}".repeat(depth) + "}}");
        }
        int shallow = 900;
        add("deep nesting", "model nested " + shallow + " deep (parses; the schema refuses)", JSON,
                utf8("{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":" + "[".repeat(shallow) + "]".repeat(shallow) + "}}"),
                invalid("/payload/model"));
        add("deep nesting", "unknown type with a payload nested " + shallow + " deep", JSON,
                utf8("{\"type\":\"vehicle.paint\",\"payload\":{\"a\":" + "[".repeat(shallow) + "]".repeat(shallow) + "}}"), invalid("/type"));
    }

    private void nest(String shape, int depth, String body) {
        add("deep nesting", shape + ", " + depth + " levels", JSON, utf8(body), malformed("nesting depth"));
    }

    /** Numbers no double or long holds, and numbers longer than Jackson reads. */
    private void hugeNumbers() {
        List<String> numbers = List.of("1e400", "-1e400", "1E+400", "1e1000000000", "1" + "0".repeat(1000), "9".repeat(5000),
                "-" + "9".repeat(100_000), "0." + "0".repeat(2000) + "1", "1" + "0".repeat(998), "123456789012345678901234567890",
                "-" + "1".repeat(900) + ".5", "1e-400");
        String[][] places = {{INSPECTION, "/delaySeconds"}, {INSPECTION, "/payload/odometerKm"}, {VEHICLE, "/payload/model"}, {VEHICLE, "/type"}};
        for (String number : numbers) {
            for (String[] place : places) {
                String body = withRaw(place[0], place[1], number);
                Expect expect = number.length() > 1000
                        ? new Expect(Set.of(400), List.of(new Clue(null, "number")))
                        : invalid(place[1]);
                add("huge number", place[1] + " = " + abbreviate(number) + " (" + number.length() + " characters)", JSON, utf8(body), expect);
            }
        }
    }

    /** Strings far over their maxLength, but bodies within 256 KiB. */
    private void hugeStrings() {
        Object[][] cases = {{VEHICLE, "/payload/model", "x", 200_000}, {VEHICLE, "/payload/model", "€", 60_000},
                {VEHICLE, "/type", "a", 100_000}, {VEHICLE, "/payload/vehicleId", "A", 100_000},
                {INSPECTION, "/payload/items/1/note", "n", 250_000}, {INSPECTION, "/callbackUrl", "p", 200_000},
                {INSPECTION, "/payload/driverId", "d", 100_000}, {INSPECTION, "/payload/items/0/name", "🚗", 50_000}};
        for (Object[] c : cases) {
            String value = (String) c[2];
            String text = (c[1].equals("/callbackUrl") ? "https://example.com/" : "") + value.repeat((Integer) c[3]);
            add("huge string", c[1] + " of " + c[3] + " × '" + value + "'", JSON, utf8(with((String) c[0], (String) c[1], MAPPER.getNodeFactory().textNode(text))),
                    invalid((String) c[1]));
        }
        for (int i = 0; i < 2; i++) {
            int length = 1_000 + random.nextInt(240_000);
            add("huge string", "/payload/model of " + length + " random letters", JSON,
                    utf8(with(VEHICLE, "/payload/model", MAPPER.getNodeFactory().textNode(randomLetters(length)))), invalid("/payload/model"));
        }
        String name = "k".repeat(100_000);
        add("huge string", "an unknown field whose name is 100000 characters", JSON, utf8(VEHICLE.replace("}}", "},\"" + name + "\":1}")),
                new Expect(Set.of(400, 422), List.of(new Clue("", null), new Clue(null, "name length"))));
    }

    private static final String[] BAD_UTF8 = {"C0 80", "C1 BF", "E0 80 80", "E0 9F BF", "ED A0 80", "ED BF BF", "ED A0 BD ED B2 A9",
            "F0 80 80 80", "F4 90 80 80", "F5 80 80 80", "F8 88 80 80 80", "FC 84 80 80 80 80", "FE", "FF", "80", "BF", "C3", "E2 82",
            "F0 9F 98", "C3 28", "E2 28 A1", "F0 28 8C BC"};

    /** Byte sequences that are not UTF-8: overlong forms, encoded surrogates, beyond U+10FFFF, cut sequences, stray bytes. */
    private void invalidUtf8() {
        for (String hex : BAD_UTF8) {
            byte[] bad = HexFormat.ofDelimiter(" ").parseHex(hex);
            for (int i = 0; i < 2; i++) {
                String base = pick(VALID);
                byte[] body = utf8(base);
                int at = pick(stringInteriorPositions(body));
                add("invalid UTF-8", hex + " inside a string of valid request #" + VALID.indexOf(base) + " at byte " + at, JSON,
                        insert(body, at, bad), malformed("UTF-8"));
            }
            add("invalid UTF-8", hex + " before the body", JSON, concat(bad, utf8(VEHICLE)), malformed("UTF-8"));
            add("invalid UTF-8", hex + " after the body", JSON, concat(utf8(VEHICLE), bad), malformed("UTF-8"));
            add("invalid UTF-8", hex + " as a key", JSON, concat(utf8("{\""), bad, utf8("\":1," + VEHICLE.substring(1))), malformed("UTF-8"));
        }
        String latin = "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"VAN-7\",\"plate\":\"B-Ö 1\",\"model\":\"Citroën Jumper\"}}";
        add("invalid UTF-8", "ISO-8859-1 body declared as such", JSON + "; charset=ISO-8859-1", latin.getBytes(StandardCharsets.ISO_8859_1),
                new Expect(Set.of(400, 415), List.of(new Clue(null, "UTF-8"), new Clue(null, "charset"), new Clue(null, "application/json"))));
        add("invalid UTF-8", "ISO-8859-1 body declared as UTF-8", JSON + "; charset=utf-8", latin.getBytes(StandardCharsets.ISO_8859_1), malformed("UTF-8"));
        for (Charset charset : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, Charset.forName("UTF-32"))) {
            add("invalid UTF-8", charset + " body", JSON + "; charset=" + charset.name().toLowerCase(), VEHICLE.getBytes(charset),
                    new Expect(Set.of(400, 415), List.of(new Clue(null, "UTF-8"), new Clue(null, "JSON"), new Clue(null, "charset"),
                            new Clue(null, "application/json"))));
        }
    }

    /** The same key twice, at each level, also when written differently ("t\u0079pe"). */
    private void duplicateKeys() {
        String[] bodies = {
                "{\"type\":\"vehicle.register\",\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"}}",
                "{\"type\":\"vehicle.register\",\"type\":\"inspection.submit\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"}}",
                "{\"type\":\"vehicle.register\",\"payload\":{},\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"}}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"},\"delaySeconds\":1,\"delaySeconds\":900}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"vehicleId\":\"V2\",\"plate\":\"P\",\"model\":\"M\"}}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"},\"t\\u0079pe\":\"vehicle.register\"}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\",\"\\u006dodel\":\"N\"}}",
                "{\"type\":\"inspection.submit\",\"payload\":{\"vehicleId\":\"V1\",\"driverId\":\"D\",\"odometerKm\":1,\"items\":[{\"name\":\"a\",\"ok\":true,\"ok\":false}]}}",
                "{\"type\":\"vehicle.paint\",\"payload\":{\"a\":{\"b\":{\"c\":1,\"c\":2}}}}",
                "{\"callbackUrl\":\"https://a.example/\",\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"},\"callbackUrl\":\"https://b.example/\"}",
        };
        for (String body : bodies) {
            add("duplicate key", abbreviate(body), JSON, utf8(body), malformed("Duplicate field"));
        }
    }

    private static final String[] NOT_JSON_TYPES = {null, "", "text/plain", "text/plain; charset=utf-8", "text/json", "text/html",
            "application/xml", "text/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x1y2",
            "application/octet-stream", "application/jsonx", "application/json-seq", "application/javascript", "json",
            "application", "*/*", "application/*", "image/png", "application/x-json", "application/vnd.api+xml", "APPLICATION/XML",
            "application/json-patch", "application /json", "xapplication/json"};

    /** Valid jobs sent as something other than JSON. */
    private void contentTypes() {
        for (String type : NOT_JSON_TYPES) {
            for (String body : List.of(VEHICLE, INSPECTION)) {
                add("content type", (type == null ? "no content-type" : "content-type '" + type + "'") + ", valid request #" + VALID.indexOf(body),
                        type, utf8(body), new Expect(Set.of(415), List.of(new Clue(null, "application/json"))));
            }
        }
        add("content type", "form-encoded job", "application/x-www-form-urlencoded",
                utf8("type=vehicle.register&payload.vehicleId=VAN-042&payload.plate=B-JP+4242&payload.model=Ford+Transit"), unsupported());
        add("content type", "text/plain with bytes that are not UTF-8", "text/plain", HexFormat.of().parseHex("fffe00c3"), new Expect(Set.of(400, 415),
                List.of(new Clue(null, "application/json"), new Clue(null, "UTF-8"))));
        add("content type", "no content-type and no body", null, new byte[0], new Expect(Set.of(400, 415),
                List.of(new Clue(null, "application/json"), new Clue(null, "empty"))));
    }

    /** Bodies just over 256 KiB and bodies of several MiB, valid JSON or not; and the largest body that is not too large. */
    private void oversize() {
        int[] justOver = {MAX_BODY + 1, MAX_BODY + 2, MAX_BODY + 1024, 300_000, MAX_BODY + 1 + random.nextInt(700_000)};
        for (int size : justOver) {
            add("oversize", size + " bytes: a valid job padded with spaces", JSON, padWithSpaces(VEHICLE, size), tooLarge());
            add("oversize", size + " bytes: a job whose model is that long", JSON, withStringOfSize(VEHICLE, "model", size), tooLarge());
        }
        add("oversize", "1 MiB: a valid job padded with spaces", JSON, padWithSpaces(VEHICLE, 1024 * 1024), tooLarge());
        add("oversize", "6 MiB + 1 (over Lambda's request limit): a valid job padded with spaces", JSON,
                padWithSpaces(VEHICLE, 6 * 1024 * 1024 + 1), tooLarge());
        int nearGatewayLimit = 9 * 1024 * 1024 + random.nextInt(512 * 1024);
        add("oversize", nearGatewayLimit + " bytes: a job whose model is that long", JSON, withStringOfSize(VEHICLE, "model", nearGatewayLimit), tooLarge());
        add("oversize", (MAX_BODY + 1) + " bytes of 0xFF", JSON, filled(MAX_BODY + 1, (byte) 0xFF), tooLarge());
        add("oversize", (2 * 1024 * 1024) + " bytes of '['", JSON, filled(2 * 1024 * 1024, (byte) '['), tooLarge());
        add("oversize", (MAX_BODY + 1) + " bytes as text/plain", "text/plain", padWithSpaces(VEHICLE, MAX_BODY + 1),
                new Expect(Set.of(413, 415), List.of(new Clue(null, "256 KiB"), new Clue(null, "application/json"))));
        add("oversize", "exactly " + MAX_BODY + " bytes, model too long: not too large, invalid", JSON, withStringOfSize(VEHICLE, "model", MAX_BODY),
                invalid("/payload/model"));
    }

    private void emptyBodies() {
        add("empty body", "no bytes", JSON, new byte[0], malformed("empty"));
        add("empty body", "no bytes, with a charset", JSON + "; charset=utf-8", new byte[0], malformed("empty"));
        for (String blank : List.of(" ", "\n", "\r\n\t ", " ".repeat(1000))) {
            add("empty body", "only whitespace: " + visible(blank), JSON, utf8(blank), malformed("empty", "JSON object", "end-of-input"));
        }
    }

    private void notObjects() {
        String[] bodies = {"[]", "[{}]", "[" + VEHICLE + "]", MAPPER.getNodeFactory().textNode(VEHICLE).toString(), "123", "-1", "0.5",
                "true", "false", "null", "\"\"", "\"{}\"", "1e400", "[[[]]]", "[" + VEHICLE + "," + INSPECTION + "]"};
        for (String body : bodies) {
            add("not an object", abbreviate(body), JSON, utf8(body), malformed("JSON object"));
        }
    }

    private static final String[] UNKNOWN_AT_ROOT = {"priority", "Type", "TYPE", "payLoad", "__proto__", "constructor", "$schema", "id",
            "jobId", "status", "", " ", "type ", "callbackURL", "delay_seconds", "producer", "attempts"};

    private void unknownFields() {
        for (String name : UNKNOWN_AT_ROOT) {
            String value = pick(ANY_VALUES);
            add("unknown field", "\"" + name + "\": " + value + " beside a valid job", JSON,
                    utf8(VEHICLE.replace("}}", "}," + MAPPER.getNodeFactory().textNode(name) + ":" + value + "}")),
                    new Expect(Set.of(422), List.of(new Clue("", "'" + name + "'"))));
        }
        for (String name : List.of("color", "vehicleID", "VehicleId", "__proto__", "driverId")) {
            add("unknown field", "payload." + name + " in vehicle.register", JSON,
                    utf8(VEHICLE.replace("\"}}", "\"," + MAPPER.getNodeFactory().textNode(name) + ":" + pick(ANY_VALUES) + "}}")),
                    new Expect(Set.of(422), List.of(new Clue("/payload", "'" + name + "'"))));
        }
        for (String name : List.of("severity", "Note", "note ")) {
            add("unknown field", "items[0]." + name + " in inspection.submit", JSON,
                    utf8(INSPECTION.replace("\"ok\":true}", "\"ok\":true," + MAPPER.getNodeFactory().textNode(name) + ":" + pick(ANY_VALUES) + "}")),
                    new Expect(Set.of(422), List.of(new Clue("/payload/items/0", "'" + name + "'"))));
        }
    }

    /** Raw bytes 0x00-0x1F: never allowed inside a JSON string, and outside one only as whitespace. */
    private void rawControlCharacters() {
        for (int c = 0; c <= 0x1F; c++) {
            byte[] control = {(byte) c};
            for (int i = 0; i < 2; i++) {
                String base = pick(VALID);
                byte[] body = utf8(base);
                int at = pick(stringInteriorPositions(body));
                add("control character", String.format("raw 0x%02X inside a string of valid request #%d at byte %d", c, VALID.indexOf(base), at),
                        JSON, insert(body, at, control), malformed("CTRL-CHAR", "control character"));
            }
            if (c != '\t' && c != '\n' && c != '\r') {
                byte[] body = utf8(pick(VALID));
                int at = pick(tokenBoundaries(body));
                add("control character", String.format("raw 0x%02X between tokens at byte %d", c, at), JSON, insert(body, at, control),
                        malformed("CTRL-CHAR", "control character"));
            }
        }
        add("control character", "raw NUL before the body", JSON, concat(new byte[] {0}, utf8(VEHICLE)), malformed("CTRL-CHAR", "control character"));
        add("control character", "raw NUL after the body", JSON, concat(utf8(VEHICLE), new byte[] {0}),
                malformed("CTRL-CHAR", "control character", "trailing", "after"));
        add("control character", "NULs only", JSON, new byte[64], malformed("CTRL-CHAR", "control character"));
    }

    private static final String[] CONTROL_ESCAPES = {"\\u0000", "\\u0001", "\\n", "\\r", "\\t", "\\b", "\\f", "\\u001f", "\\u007f",
            "\\u0085", "\\u2028", "\\u2029", "\\r\\n", "\\ufeff"};

    /** Escaped control characters and line separators in fields whose pattern allows none: start, middle, end. */
    private void escapedControlCharacters() {
        String[][] fields = {{VEHICLE, "/type", "vehicle.register"}, {VEHICLE, "/payload/vehicleId", "VAN-042"},
                {INSPECTION, "/payload/vehicleId", "VAN-042"}, {VEHICLE_FULL, "/callbackUrl", "https://hooks.example.com/fleet?source=fuzz"}};
        for (String[] f : fields) {
            for (String escape : CONTROL_ESCAPES) {
                for (String where : List.of("start", "middle", "end")) {
                    String value = placed(f[2], escape, where);
                    add("escaped control character", f[1] + " with " + escape + " at the " + where, JSON,
                            utf8(withRaw(f[0], f[1], "\"" + value + "\"")), invalid(f[1]));
                }
            }
        }
    }

    private static final String[] LONE_SURROGATES = {"\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\udc00\\ud800", "\\ud800\\ud800",
            "\\ud83d", "\\ude97\\ud83d"};

    /** UTF-16 surrogates without their other half: no Unicode text holds them, SQS refuses them. */
    private void loneSurrogates() {
        String[][] fields = {{VEHICLE, "/type", "vehicle.register"}, {VEHICLE, "/payload/vehicleId", "VAN-042"},
                {VEHICLE, "/payload/plate", "B-JP 4242"}, {VEHICLE, "/payload/model", "Ford Transit"},
                {INSPECTION, "/payload/driverId", "D-7"}, {INSPECTION, "/payload/items/0/name", "brakes"},
                {INSPECTION, "/payload/items/1/note", "front left worn"}, {VEHICLE_FULL, "/callbackUrl", "https://hooks.example.com/fleet?source=fuzz"}};
        List<String> wheres = List.of("start", "middle", "end");
        for (String[] f : fields) {
            for (String surrogate : LONE_SURROGATES) {
                String where = pick(wheres);
                add("lone surrogate", f[1] + " with " + surrogate + " at the " + where, JSON,
                        utf8(withRaw(f[0], f[1], "\"" + placed(f[2], surrogate, where) + "\"")),
                        new Expect(Set.of(400, 422), List.of(new Clue(f[1], null), new Clue(null, "surrogate"))));
            }
        }
        for (String surrogate : LONE_SURROGATES) {
            add("lone surrogate", "a field named \"x" + surrogate + "\" beside a valid job", JSON, utf8(VEHICLE.replace("}}", "},\"x" + surrogate + "\":1}")),
                    new Expect(Set.of(400, 422), List.of(new Clue("", null), new Clue(null, "surrogate"))));
            add("lone surrogate", "payload field named \"" + surrogate + "\"", JSON, utf8(VEHICLE.replace("\"}}", "\",\"" + surrogate + "\":\"v\"}}")),
                    new Expect(Set.of(400, 422), List.of(new Clue("/payload", null), new Clue(null, "surrogate"))));
        }
    }

    /**
     * U+FFFE and U+FFFF: valid JSON, but characters SQS refuses in a message (it takes #x9, #xA, #xD, #x20-#xD7FF,
     * #xE000-#xFFFD, #x10000-#x10FFFF), so a job holding them can never be queued: a 4xx, not a 5xx.
     */
    private void charactersSqsRefuses() {
        String[][] fields = {{VEHICLE, "/payload/model", "Ford Transit"}, {VEHICLE, "/payload/plate", "B-JP 4242"},
                {INSPECTION, "/payload/items/1/note", "front left worn"}, {INSPECTION, "/payload/driverId", "D-7"}};
        for (String[] f : fields) {
            for (String c : List.of("\\ufffe", "\\uffff")) {
                add("characters SQS refuses", f[1] + " with " + c, JSON, utf8(withRaw(f[0], f[1], "\"" + placed(f[2], c, pick(List.of("start", "middle", "end"))) + "\"")),
                        new Expect(Set.of(400, 422), List.of(new Clue(f[1], null), new Clue(null, "character"))));
            }
        }
    }

    /** A valid job followed by more: another value, a stray bracket, a comment. */
    private void trailingData() {
        String[] suffixes = {"x", "garbage", "}", "]", "{}", "[]", "null", "0", "\"\"", ",", ":", VEHICLE, "\n" + INSPECTION,
                " {\"type\":\"vehicle.paint\"}", "// comment", "/* comment */", "\u001a", "\ufeff", "}}}}}}", "<!-- -->"};
        for (String suffix : suffixes) {
            add("trailing data", "a valid job, then " + abbreviate(visible(suffix)), JSON, utf8(VEHICLE + suffix), malformed("JSON", "trailing"));
        }
    }

    /** JSON's relatives that are not JSON: single quotes, comments, NaN, hex, trailing commas, bad escapes. */
    private void syntaxErrors() {
        String[] bodies = {
                "{'type':'vehicle.register','payload':{'vehicleId':'V1','plate':'P','model':'M'}}",
                "{type:\"vehicle.register\",payload:{vehicleId:\"V1\",plate:\"P\",model:\"M\"}}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\",}}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"},}",
                "{\"type\":\"inspection.submit\",\"payload\":{\"vehicleId\":\"V1\",\"driverId\":\"D\",\"odometerKm\":1,\"items\":[{\"name\":\"a\",\"ok\":true},]}}",
                "/* job */" + VEHICLE, "// job\n" + VEHICLE, "{\"type\":\"vehicle.register\",/* c */\"payload\":{}}", "#" + VEHICLE,
                VEHICLE.replace("}}", "},\"delaySeconds\":NaN}"), VEHICLE.replace("}}", "},\"delaySeconds\":Infinity}"),
                VEHICLE.replace("}}", "},\"delaySeconds\":-Infinity}"), VEHICLE.replace("}}", "},\"delaySeconds\":007}"),
                VEHICLE.replace("}}", "},\"delaySeconds\":0x1F}"), VEHICLE.replace("}}", "},\"delaySeconds\":+1}"),
                VEHICLE.replace("}}", "},\"delaySeconds\":.5}"), VEHICLE.replace("}}", "},\"delaySeconds\":1.}"),
                VEHICLE.replace("}}", "},\"delaySeconds\":1e}"), VEHICLE.replace("}}", "},\"delaySeconds\":-}"),
                VEHICLE.replace("}}", "},\"delaySeconds\":tru}"), VEHICLE.replace("}}", "},\"delaySeconds\":nul}"),
                VEHICLE.replace("}}", "},\"delaySeconds\":undefined}"), VEHICLE.replace("}}", "},\"delaySeconds\":1_000}"),
                "{\"type\" \"vehicle.register\",\"payload\":{}}", "{\"type\":\"vehicle.register\" \"payload\":{}}",
                "{\"type\"::\"vehicle.register\",\"payload\":{}}", "{,\"type\":\"vehicle.register\",\"payload\":{}}",
                "{\"type\":\"vehicle.register\",,\"payload\":{}}", "{\"type\":\"vehicle.register\",\"payload\":{}]",
                "{\"type\":\"vehicle.register\",\"payload\":[}}", "{\"type\":\"veh\"icle.register\",\"payload\":{}}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"model\":\"\\x41\"}}", "{\"type\":\"vehicle.register\",\"payload\":{\"model\":\"\\u12\"}}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"model\":\"\\u12G4\"}}", "{\"type\":\"vehicle.register\",\"payload\":{\"model\":\"\\'\"}}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"model\":\"\\a\"}}", "{\"type\":\"vehicle.register\",\"payload\":{\"model\":\"M\\\"}}",
                "{“type”:“vehicle.register”,“payload”:{}}", "｛\"type\":\"vehicle.register\",\"payload\":{}｝",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\" ,\"plate\":\"P\";\"model\":\"M\"}}",
                "{\"type\":\"vehicle.register\"\u00a0,\"payload\":{}}", "\u00a0" + VEHICLE, "{\"type\":'vehicle.register\",\"payload\":{}}",
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"}}".replace(":", "="),
                "{\"type\":\"vehicle.register\",\"payload\":{\"vehicleId\":\"V1\",\"plate\":\"P\",\"model\":\"M\"}".replace("{", "("),
        };
        for (String body : bodies) {
            add("syntax", abbreviate(visible(body)), JSON, utf8(body), malformed("JSON"));
        }
    }

    /** Bodies within 256 KiB that break the schema in very many places at once. */
    private void manyViolations() {
        add("many violations", "inspection with 1000 items that are numbers", JSON,
                utf8(INSPECTION_UNICODE.replaceFirst("\"items\":\\[.*\\]", "\"items\":[" + "1,".repeat(999) + "1]")), invalid("/payload/items"));
        add("many violations", "inspection with 130000 items that are numbers (256 KiB)", JSON,
                utf8(INSPECTION_UNICODE.replaceFirst("\"items\":\\[.*\\]", "\"items\":[" + "1,".repeat(129_999) + "1]")), invalid("/payload/items"));
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            fields.append(",\"k").append(i).append("\":0");
        }
        add("many violations", "2000 unknown fields beside a valid job", JSON, utf8(VEHICLE.replace("}}", "}" + fields + "}")),
                new Expect(Set.of(422), List.of(new Clue("", "'k0'"))));
    }

    // --- expectations -----------------------------------------------------------------------------------------------

    private static Expect malformed(String... words) {
        return new Expect(Set.of(400), Arrays.stream(words).map(w -> new Clue(null, w)).toList());
    }

    private static Expect invalid(String pointer) {
        return new Expect(Set.of(422), List.of(new Clue(pointer, null)));
    }

    private static Expect tooLarge() {
        return new Expect(Set.of(413), List.of(new Clue(null, "256 KiB")));
    }

    private static Expect unsupported() {
        return new Expect(Set.of(415), List.of(new Clue(null, "application/json")));
    }

    private void add(String category, String name, String contentType, byte[] body, Expect expect) {
        // A body too large is refused for its size before anything else is looked at.
        Expect e = body.length > MAX_BODY && !expect.statuses().contains(413) && isJsonType(contentType) ? tooLarge() : expect;
        inputs.add(new Input(category, name, contentType, body, e));
    }

    private static boolean isJsonType(String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith(JSON);
    }

    // --- random choices ---------------------------------------------------------------------------------------------

    private String randomLetters(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(chars);
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
