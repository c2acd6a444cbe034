package io.jobpipeline.local.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/** Reads a CloudFormation YAML template into plain maps and lists, short-form tags turned into the long form. */
final class CfnYaml {
    private CfnYaml() {
    }

    static Map<String, Object> read(Path file) throws TemplateException {
        String name = file.getFileName().toString();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // CloudFormation rejects duplicate keys; so do we
        Object root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new CfnConstructor(options)).load(in);
        } catch (IOException e) {
            throw new TemplateException(name + ": cannot be read: " + e, e);
        } catch (YAMLException e) {
            throw new TemplateException(name + ": not a valid template: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new TemplateException(name + ": not a valid template: the top level must be a mapping");
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new TemplateException(name + ": not a valid template: top-level key " + key + " is not text");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) map;
        return template;
    }

    private static final class CfnConstructor extends SafeConstructor {
        CfnConstructor(LoaderOptions options) {
            super(options);
            // CloudFormation keeps 2012-10-17 (a policy Version) as text, not a date.
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
            // Any other tag "!X" is CloudFormation's short form of "Fn::X".
            yamlConstructors.put(null, new ShortForm());
        }

        private final class ShortForm extends AbstractConstruct {
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
                switch (function) {
                    case "Ref", "Condition" -> longForm.put(function, argument);
                    case "GetAtt" -> longForm.put("Fn::GetAtt", argument instanceof String s ? splitGetAtt(s) : argument);
                    default -> longForm.put("Fn::" + function, argument);
                }
                return longForm;
            }
        }
    }

    /** "A.B.C" names resource A and attribute "B.C" (nested attributes keep their dots). */
    static List<String> splitGetAtt(String text) {
        int dot = text.indexOf('.');
        return new ArrayList<>(dot < 0 ? List.of(text) : List.of(text.substring(0, dot), text.substring(dot + 1)));
    }
}
