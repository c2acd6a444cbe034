package io.jobpipeline.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed access to one mapping of the template; every error names the file, the owner and the property path. */
final class Props {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String file;
    private final String owner;
    private final String path;
    private final Map<String, Object> map;

    private Props(String file, String owner, String path, Map<String, Object> map) {
        this.file = file;
        this.owner = owner;
        this.path = path;
        this.map = map;
    }

    /** owner reads like "resource JobsQueue" or "section Globals.Function". */
    static Props of(String file, String owner, Map<String, Object> map) {
        return new Props(file, owner, "", map == null ? Map.of() : map);
    }

    Map<String, Object> raw() {
        return map;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    Object get(String key) {
        return map.get(key);
    }

    TemplateException fail(String key, String detail) {
        return new TemplateException(file + ": " + owner + ", property " + join(key) + ": " + detail);
    }

    Optional<Props> child(String key) throws TemplateException {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String json && !json.isBlank()) { // RedrivePolicy and Pattern may be JSON text
            try {
                value = JSON.readValue(json, Map.class);
            } catch (JsonProcessingException e) {
                throw fail(key, "expected a mapping or JSON object text, got " + show(json));
            }
        }
        if (!(value instanceof Map<?, ?> m) || isIntrinsic(value)) {
            throw fail(key, "expected a mapping, got " + show(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> child = (Map<String, Object>) m;
        return Optional.of(new Props(file, owner, join(key), child));
    }

    Props requiredChild(String key) throws TemplateException {
        return child(key).orElseThrow(() -> fail(key, "missing"));
    }

    List<Object> list(String key) throws TemplateException {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            throw fail(key, "expected a list, got " + show(value));
        }
        return new ArrayList<>(l);
    }

    /** The list of mappings under key, each addressed as key[i]. */
    List<Props> children(String key) throws TemplateException {
        List<Object> items = list(key);
        List<Props> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = key + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> m) || isIntrinsic(m)) {
                throw fail(at, "expected a mapping, got " + show(items.get(i)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> child = (Map<String, Object>) m;
            out.add(new Props(file, owner, join(at), child));
        }
        return out;
    }

    Optional<String> string(String key) throws TemplateException {
        Object value = map.get(key);
        return switch (value) {
            case null -> Optional.empty();
            case String s -> Optional.of(s);
            case Number n -> Optional.of(n.toString());
            case Boolean b -> Optional.of(b.toString());
            default -> throw fail(key, "expected text, got " + show(value));
        };
    }

    String requiredString(String key) throws TemplateException {
        return string(key).orElseThrow(() -> fail(key, "missing"));
    }

    int integer(String key, int defaultValue, int min, int max, String unit) throws TemplateException {
        return has(key) ? requiredInteger(key, min, max, unit) : defaultValue;
    }

    /** unit, when given, reads "expected a whole number of seconds". */
    int requiredInteger(String key, int min, int max, String unit) throws TemplateException {
        Object value = map.get(key);
        if (value == null) {
            throw fail(key, "missing");
        }
        long n;
        if (value instanceof Integer || value instanceof Long) {
            n = ((Number) value).longValue();
        } else if (value instanceof String s && s.trim().matches("-?\\d{1,18}")) {
            n = Long.parseLong(s.trim());
        } else {
            throw fail(key, "expected a whole number" + (unit == null ? "" : " of " + unit) + ", got " + show(value));
        }
        if (n < min || n > max) {
            throw fail(key, "must be from " + min + " to " + max + ", got " + n);
        }
        return (int) n;
    }

    boolean bool(String key, boolean defaultValue) throws TemplateException {
        Object value = map.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw fail(key, "expected true or false, got " + show(value));
    }

    /** The X of {@code !GetAtt X.attribute}, or of {@code !Ref X} when attribute is null. */
    String logicalId(String key, String attribute) throws TemplateException {
        Object value = map.get(key);
        if (value == null) {
            throw fail(key, "missing");
        }
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            Object getAtt = m.get("Fn::GetAtt");
            if (attribute != null && getAtt instanceof List<?> l && l.size() == 2
                    && l.get(0) instanceof String id && attribute.equals(l.get(1))) {
                return id;
            }
            if (attribute == null && m.get("Ref") instanceof String id) {
                return id;
            }
        }
        throw fail(key, "expected " + (attribute == null ? "!Ref <resource>" : "!GetAtt <resource>." + attribute)
                + " of a resource in this template, got " + json(value));
    }

    static boolean isIntrinsic(Object value) {
        if (!(value instanceof Map<?, ?> m) || m.size() != 1) {
            return false;
        }
        Object key = m.keySet().iterator().next();
        return key instanceof String k && (k.equals("Ref") || k.startsWith("Fn::"));
    }

    /** The value for a message; an intrinsic left unresolved at load time says so. */
    static String show(Object value) {
        return isIntrinsic(value) ? json(value) + " (not resolvable when the template is loaded; pseudo parameters"
                + " such as AWS::Region can be given as overrides)" : json(value);
    }

    static String json(Object value) {
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private String join(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
