package io.jobpipeline.local.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates CloudFormation intrinsic functions in a long-form tree. In partial mode (load time) whatever the lookup
 * cannot answer yet (a queue's ARN, say) stays as the intrinsic it was; in full mode it is an error.
 */
final class Intrinsics {
    /** What {@code !Ref AWS::NoValue} yields: the key or list item holding it disappears. */
    static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** null: not known here (partial mode keeps the expression). IllegalArgumentException: never resolvable. */
    interface Lookup {
        Object ref(String name);

        Object getAtt(String logicalId, String attribute);
    }

    private final String file;
    private final Map<String, Object> conditions;
    private final Map<String, Object> mappings;
    private final Lookup lookup;
    private final boolean partial;
    private final Map<String, Boolean> conditionValues = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();

    Intrinsics(String file, Map<String, Object> conditions, Map<String, Object> mappings, Lookup lookup,
               boolean partial) {
        this.file = file;
        this.conditions = conditions;
        this.mappings = mappings;
        this.lookup = lookup;
        this.partial = partial;
    }

    Object evaluate(Object node, String owner, String path) throws TemplateException {
        if (Props.isIntrinsic(node)) {
            Map.Entry<?, ?> e = ((Map<?, ?>) node).entrySet().iterator().next();
            return function((String) e.getKey(), e.getValue(), owner, path);
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object value = evaluate(e.getValue(), owner, join(path, String.valueOf(e.getKey())));
                if (value != NO_VALUE) {
                    out.put(String.valueOf(e.getKey()), value);
                }
            }
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object value = evaluate(list.get(i), owner, path + "[" + i + "]");
                if (value != NO_VALUE) {
                    out.add(value);
                }
            }
            return out;
        }
        return node;
    }

    /** A named condition's value, or null when it cannot be known yet. */
    Boolean condition(String name, String owner, String path) throws TemplateException {
        if (conditionValues.containsKey(name)) {
            return conditionValues.get(name);
        }
        if (!conditions.containsKey(name)) {
            throw fail(owner, path, "condition '" + name + "' is not declared in Conditions");
        }
        if (!evaluating.add(name)) {
            throw fail("section Conditions", name, "refers to itself");
        }
        Boolean value = conditionValue(conditions.get(name), "section Conditions", name);
        evaluating.remove(name);
        conditionValues.put(name, value);
        return value;
    }

    private Boolean conditionValue(Object node, String owner, String path) throws TemplateException {
        if (node instanceof Boolean b) {
            return b;
        }
        if (node instanceof Map<?, ?> m && m.size() == 1 && m.get("Condition") instanceof String name) {
            return condition(name, owner, path);
        }
        if (!Props.isIntrinsic(node)) {
            throw fail(owner, path, "expected a condition function, got " + Props.show(node));
        }
        Map.Entry<?, ?> e = ((Map<?, ?>) node).entrySet().iterator().next();
        List<?> args = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
        switch ((String) e.getKey()) {
            case "Fn::Equals" -> {
                if (args.size() != 2) {
                    throw fail(owner, path, "Fn::Equals takes two values");
                }
                Object a = evaluate(args.get(0), owner, path);
                Object b = evaluate(args.get(1), owner, path);
                return isScalar(a) && isScalar(b) ? (Boolean) String.valueOf(a).equals(String.valueOf(b)) : null;
            }
            case "Fn::Not" -> {
                Boolean inner = args.size() == 1 ? conditionValue(args.get(0), owner, path) : null;
                return inner == null ? null : !inner;
            }
            case "Fn::And", "Fn::Or" -> {
                boolean and = e.getKey().equals("Fn::And");
                boolean unknown = false;
                for (Object arg : args) {
                    Boolean v = conditionValue(arg, owner, path);
                    if (v == null) {
                        unknown = true;
                    } else if (v != and) {
                        return v;
                    }
                }
                return unknown ? null : and;
            }
            default -> throw fail(owner, path, e.getKey() + " is not a condition function");
        }
    }

    private Object function(String fn, Object rawArg, String owner, String path) throws TemplateException {
        if (fn.equals("Fn::If")) {
            List<?> args = rawArg instanceof List<?> l && l.size() == 3 ? l : null;
            if (args == null || !(args.get(0) instanceof String name)) {
                throw fail(owner, path, "Fn::If takes [condition, value if true, value if false]");
            }
            Boolean chosen = condition(name, owner, path);
            return chosen == null ? unresolved(fn, rawArg, owner, path)
                    : evaluate(args.get(chosen ? 1 : 2), owner, path);
        }
        Object arg = evaluate(rawArg, owner, path);
        List<?> args = arg instanceof List<?> l ? l : List.of(arg);
        try {
            Object result = switch (fn) {
                case "Ref" -> arg instanceof String name
                        ? (name.equals("AWS::NoValue") ? NO_VALUE : lookup.ref(name)) : null;
                case "Fn::GetAtt" -> {
                    List<?> parts = arg instanceof String s ? CfnYaml.splitGetAtt(s) : args;
                    yield parts.size() == 2 && parts.get(0) instanceof String id && parts.get(1) instanceof String at
                            ? lookup.getAtt(id, at) : null;
                }
                case "Fn::Sub" -> sub(args);
                case "Fn::Join" -> args.size() == 2 && args.get(0) instanceof String delimiter
                        && args.get(1) instanceof List<?> items && items.stream().allMatch(Intrinsics::isScalar)
                        ? String.join(delimiter, items.stream().map(String::valueOf).toList()) : null;
                case "Fn::Select" -> args.size() == 2 && isScalar(args.get(0)) && args.get(1) instanceof List<?> items
                        ? items.get(Integer.parseInt(String.valueOf(args.get(0)))) : null;
                case "Fn::Split" -> args.size() == 2 && args.get(0) instanceof String delimiter
                        && args.get(1) instanceof String text
                        ? new ArrayList<>(List.of(text.split(Pattern.quote(delimiter), -1))) : null;
                case "Fn::FindInMap" -> findInMap(args, owner, path);
                case "Fn::Base64" -> arg instanceof String text
                        ? Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : null;
                default -> null; // ImportValue, GetAZs, Cidr, ...: AWS knows them, the local stack does not
            };
            return result == null || (result != NO_VALUE && !isResolved(result))
                    ? unresolved(fn, arg, owner, path) : result;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw fail(owner, path, fn + " " + Props.json(arg) + ": " + e.getMessage());
        }
    }

    private Object sub(List<?> args) {
        if (args.isEmpty() || !(args.get(0) instanceof String text)
                || (args.size() > 1 && !(args.get(1) instanceof Map<?, ?>))) {
            return null;
        }
        Map<?, ?> variables = args.size() > 1 ? (Map<?, ?>) args.get(1) : Map.of();
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).trim();
            Object value;
            if (name.startsWith("!")) {
                value = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                value = variables.get(name);
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                List<String> parts = CfnYaml.splitGetAtt(name);
                value = lookup.getAtt(parts.get(0), parts.get(1));
            } else {
                value = lookup.ref(name);
            }
            if (!isScalar(value)) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Object findInMap(List<?> args, String owner, String path) throws TemplateException {
        if (args.size() < 3 || !args.stream().limit(3).allMatch(Intrinsics::isScalar)) {
            return null;
        }
        Object value = mappings;
        for (Object key : args.subList(0, 3)) {
            if (!(value instanceof Map<?, ?> m) || !m.containsKey(String.valueOf(key))) {
                throw fail(owner, path, "Fn::FindInMap: no entry " + args.subList(0, 3) + " in Mappings");
            }
            value = m.get(String.valueOf(key));
        }
        return value;
    }

    private Object unresolved(String fn, Object arg, String owner, String path) throws TemplateException {
        if (partial) {
            Map<String, Object> kept = new LinkedHashMap<>();
            kept.put(fn, arg);
            return kept;
        }
        throw fail(owner, path, "cannot resolve " + fn + " " + Props.json(arg) + " locally");
    }

    static boolean isResolved(Object value) {
        if (Props.isIntrinsic(value)) {
            return false;
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(Intrinsics::isResolved);
        }
        return !(value instanceof Map<?, ?> map) || map.values().stream().allMatch(Intrinsics::isResolved);
    }

    static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    private TemplateException fail(String owner, String path, String detail) {
        return new TemplateException(file + ": " + owner + ", property " + path + ": " + detail);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
