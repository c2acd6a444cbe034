package io.jobpipeline.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.core.contract.Violation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a job may not carry, whatever its schema says: strings SQS refuses in a message (unpaired surrogates, U+FFFE,
 * U+FFFF) and numbers a double turns into something else (1e400 into infinity, 1e-400 or 5.000000000000000001 into a
 * whole number, which an integer schema would then accept). Bodies are read with exact decimals; the numbers that pass
 * are put back as doubles, so validation and the stored payload see what they always saw.
 */
final class JsonScreen {
    private JsonScreen() {}

    /** The violations in {@code node}, pointers prefixed with {@code at}; empty when it may be queued. */
    static List<Violation> screen(JsonNode node, String at) {
        List<Violation> violations = new ArrayList<>();
        walk(node, at, violations);
        return violations;
    }

    private static JsonNode walk(JsonNode node, String at, List<Violation> violations) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String pointer = at + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                text(field.getKey(), pointer, "property name", violations);
                field.setValue(walk(field.getValue(), pointer, violations));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, walk(array.get(i), at + "/" + i, violations));
            }
        } else if (node.isTextual()) {
            text(node.textValue(), at, "string", violations);
        } else if (node.isBigDecimal()) {
            return number(node.decimalValue(), node, at, violations);
        }
        return node;
    }

    private static JsonNode number(BigDecimal exact, JsonNode node, String at, List<Violation> violations) {
        double d = exact.doubleValue();
        boolean wholeOnlyAsDouble = d == Math.rint(d) && exact.stripTrailingZeros().scale() > 0;
        if (Double.isInfinite(d) || wholeOnlyAsDouble) {
            violations.add(new Violation(at, "the number " + abbreviated(exact.toString()) + " cannot be held as a 64-bit "
                    + "floating point number (it would become " + d + "); send it with fewer digits or within range"));
            return node;
        }
        return DoubleNode.valueOf(d);
    }

    private static void text(String s, String at, String what, List<Violation> violations) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                violations.add(new Violation(at, "the " + what + " holds an unpaired surrogate (\\u"
                        + Integer.toHexString(c).toUpperCase() + " at " + i + "); send valid Unicode"));
                return;
            } else if (c == '\uFFFE' || c == '\uFFFF') {
                violations.add(new Violation(at, "the " + what + " holds the noncharacter U+"
                        + Integer.toHexString(c).toUpperCase() + " at " + i + ", which an SQS message cannot carry"));
                return;
            }
        }
    }

    private static String abbreviated(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
