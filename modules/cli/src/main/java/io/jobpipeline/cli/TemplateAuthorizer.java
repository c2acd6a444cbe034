package io.jobpipeline.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The issuer and audience a token needs, from the JWT authorizer of template.yaml's HttpApi (its DefaultAuthorizer,
 * else its first JWT authorizer; Globals.HttpApi.Auth when the API has no Auth). Values may be text, {@code !Ref} of
 * a parameter (override, else Default) or {@code !Sub} over parameters: what the local stack resolves at load time.
 */
record TemplateAuthorizer(String name, String issuer, String audience) {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    static TemplateAuthorizer read(Path template, Map<String, String> overrides) {
        Map<String, Object> root = load(template);
        Map<String, Object> parameters = map(root.get("Parameters"));
        for (String name : overrides.keySet()) {
            if (!parameters.containsKey(name)) {
                throw CliFailure.usage("--parameter " + name + ": " + template + " declares no such parameter");
            }
        }
        Map<String, Object> globalAuth = map(map(map(root.get("Globals")).get("HttpApi")).get("Auth"));
        for (Map.Entry<String, Object> resource : map(root.get("Resources")).entrySet()) {
            Map<String, Object> r = map(resource.getValue());
            if (!"AWS::Serverless::HttpApi".equals(r.get("Type"))) {
                continue;
            }
            Map<String, Object> auth = map(map(r.get("Properties")).get("Auth"));
            if (auth.isEmpty()) {
                auth = globalAuth;
            }
            Map<String, Object> authorizers = map(auth.get("Authorizers"));
            String name = auth.get("DefaultAuthorizer") instanceof String s ? s : authorizers.entrySet().stream()
                    .filter(e -> map(e.getValue()).containsKey("JwtConfiguration")).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            Map<String, Object> jwt = name == null ? Map.of() : map(map(authorizers.get(name)).get("JwtConfiguration"));
            if (jwt.isEmpty()) {
                continue;
            }
            String where = template.getFileName() + ": resource " + resource.getKey() + ", authorizer " + name;
            Object issuer = jwt.containsKey("issuer") ? jwt.get("issuer") : jwt.get("Issuer");
            Object audience = jwt.containsKey("audience") ? jwt.get("audience") : jwt.get("Audience");
            if (audience instanceof List<?> list) {
                audience = list.isEmpty() ? null : list.get(0);
            }
            return new TemplateAuthorizer(name, resolve(issuer, where + ", issuer", parameters, overrides),
                    resolve(audience, where + ", audience", parameters, overrides));
        }
        throw CliFailure.failed("no AWS::Serverless::HttpApi of " + template + " has a JWT authorizer: its API wants no token");
    }

    private static String resolve(Object value, String where, Map<String, Object> parameters, Map<String, String> overrides) {
        if (value instanceof String text && !text.isBlank()) {
            return text;
        }
        Map<String, Object> m = map(value);
        if (m.size() == 1 && m.get("Ref") instanceof String ref) {
            return parameter(ref, where, parameters, overrides);
        }
        if (m.size() == 1 && m.get("Fn::Sub") instanceof String sub) {
            Matcher matcher = SUB_VARIABLE.matcher(sub);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(out, Matcher.quoteReplacement(parameter(matcher.group(1), where, parameters, overrides)));
            }
            return matcher.appendTail(out).toString();
        }
        throw CliFailure.failed(where + ": cannot tell its value from the template (" + value + ")");
    }

    private static String parameter(String name, String where, Map<String, Object> parameters, Map<String, String> overrides) {
        if (overrides.containsKey(name)) {
            return overrides.get(name);
        }
        Object declared = map(parameters.get(name)).get("Default");
        if (declared == null) {
            throw CliFailure.failed(where + ": " + name + " is no parameter with a Default; give it with --parameter "
                    + name + "=VALUE");
        }
        return String.valueOf(declared);
    }

    private static Map<String, Object> load(Path template) {
        LoaderOptions options = new LoaderOptions();
        try (Reader in = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new ShortForms(options)).load(in);
            if (!(root instanceof Map<?, ?>)) {
                throw CliFailure.failed(template + " is not a template (its top level is not a mapping)");
            }
            return map(root);
        } catch (NoSuchFileException e) {
            throw CliFailure.usage("no template at " + template + " (give one with --template)");
        } catch (IOException e) {
            throw CliFailure.failed("cannot read " + template + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw CliFailure.failed(template + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
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
