package io.jobpipeline.core.contract;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.regex.Pattern;

/**
 * JSON Schema patterns are ECMAScript regular expressions, where {@code $} matches only at the end of the input; in
 * Java it also matches before a final line break, so {@code "VAN-042\n"} would pass {@code ^[A-Z0-9-]+$}. This factory
 * keeps the JDK engine (no extra dependency) and rewrites each unescaped {@code $} outside a character class to
 * {@code \z}, which is what ECMAScript means by it.
 */
final class EcmaScriptAnchors implements RegularExpressionFactory {
    static final EcmaScriptAnchors INSTANCE = new EcmaScriptAnchors();

    private EcmaScriptAnchors() {}

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(toJava(regex));
        return value -> pattern.matcher(value).find();
    }

    static String toJava(String regex) {
        StringBuilder java = new StringBuilder(regex.length() + 4);
        boolean escaped = false;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (escaped) {
                java.append(c);
                escaped = false;
            } else if (c == '\\') {
                java.append(c);
                escaped = true;
            } else if (c == '[') {
                inClass = true;
                java.append(c);
            } else if (c == ']') {
                inClass = false;
                java.append(c);
            } else if (c == '$' && !inClass) {
                java.append("\\z");
            } else {
                java.append(c);
            }
        }
        return java.toString();
    }
}
