package io.jobpipeline.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as plain maps, CloudFormation's short forms ({@code !Ref X}, {@code !Sub ...}) turned into their long
 * forms, and the few values the CLI needs resolved: text, {@code Ref} of a parameter or pseudo parameter (override,
 * else Default) and {@code Fn::Sub} over those. What the local stack resolves at load time, kept small.
 */
public final class TemplateYaml {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Path file;
    private final Map<String, Object> root;

    private TemplateYaml(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
    }

    public static TemplateYaml load(Path template) {
        LoaderOptions options = new LoaderOptions();
        try (Reader in = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new ShortForms(options)).load(in);
            if (!(root instanceof Map<?, ?>)) {
                throw CliFailure.failed(template + " is not a template (its top level is not a mapping)");
            }
            return new TemplateYaml(template, map(root));
        } catch (NoSuchFileException e) {
            throw CliFailure.usage("no template at " + template + " (give one with --template)");
        } catch (IOException e) {
            throw CliFailure.failed("cannot read " + template + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw CliFailure.failed(template + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public Path file() {
        return file;
    }

    public Map<String, Object> section(String name) {
        return map(root.get(name));
    }

    /** The resources of type {@code type}, by logical id, in template order. */
    public Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        section("Resources").forEach((id, value) -> {
            if (type.equals(map(value).get("Type"))) {
                found.put(id, map(map(value).get("Properties")));
            }
        });
        return found;
    }

    /** The value as text: plain text, a Ref of a (pseudo) parameter, or a Sub over (pseudo) parameters. */
    public String resolve(Object value, String where, Map<String, String> overrides) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        if (value instanceof Number number) {
            return number.toString();
        }
        Map<String, Object> m = map(value);
        if (m.size() == 1 && m.get("Ref") instanceof String ref) {
            return parameter(ref, where, overrides);
        }
        if (m.size() == 1 && m.get("Fn::Sub") instanceof String sub) {
            Matcher matcher = SUB_VARIABLE.matcher(sub);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(out, Matcher.quoteReplacement(parameter(matcher.group(1), where, overrides)));
            }
            return matcher.appendTail(out).toString();
        }
        throw CliFailure.failed(where + ": cannot tell its value from the template (" + value + ")");
    }

    private String parameter(String name, String where, Map<String, String> overrides) {
        if (overrides.containsKey(name)) {
            return overrides.get(name);
        }
        Object declared = map(section("Parameters").get(name)).get("Default");
        if (declared == null) {
            throw CliFailure.failed(where + ": " + name + " is no parameter with a Default; give it with --parameter "
                    + name + "=VALUE");
        }
        return String.valueOf(declared);
    }

    /** The logical id a {@code !Ref X} or {@code !GetAtt X.Attr} names, or null. */
    public static String referencedId(Object value) {
        Map<String, Object> m = map(value);
        if (m.get("Ref") instanceof String ref) {
            return ref;
        }
        Object att = m.get("Fn::GetAtt");
        if (att instanceof String text) {
            return text.contains(".") ? text.substring(0, text.indexOf('.')) : text;
        }
        if (att instanceof java.util.List<?> list && !list.isEmpty()) {
            return String.valueOf(list.get(0));
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** CloudFormation's short forms ("!Ref X", "!Sub ...") as their long forms; timestamps stay text. */
    private static final class ShortForms extends SafeConstructor {
        ShortForms(LoaderOptions options) {
            super(options);
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue();
                    if (!tag.startsWith("!") || tag.startsWith("!!") || tag.length() == 1) {
                        throw new YAMLException("unknown tag " + tag + " " + node.getStartMark());
                    }
                    String function = tag.substring(1);
                    Object argument = switch (node) {
                        case ScalarNode scalar -> constructScalar(scalar);
                        case SequenceNode sequence -> constructSequence(sequence);
                        case MappingNode mapping -> constructMapping(mapping);
                        default -> throw new YAMLException("unexpected node for " + tag + " " + node.getStartMark());
                    };
                    Map<String, Object> longForm = new LinkedHashMap<>();
                    longForm.put(function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function, argument);
                    return longForm;
                }
            });
        }
    }
}
