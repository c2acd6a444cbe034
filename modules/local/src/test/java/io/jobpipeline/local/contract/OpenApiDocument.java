package io.jobpipeline.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/** contracts/openapi.yaml as the contract tests read it: the parsed document, and schema loading for networknt. */
final class OpenApiDocument {
    static final Path CONTRACTS = Path.of("../../contracts");
    static final Path OPENAPI = CONTRACTS.resolve("openapi.yaml");
    /** The IRI the document is loaded under, so that './job-request.schema.json' resolves to that file's $id. */
    static final String BASE = "https://jobpipeline.io/contracts/";
    static final String OPENAPI_IRI = BASE + "openapi.yaml";
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode doc;
    private static String docJson;

    private OpenApiDocument() {}

    /** The document, read once per test JVM. */
    static synchronized JsonNode doc() {
        if (doc == null) {
            try {
                doc = JSON.valueToTree(readYaml(new Resolver()));
                docJson = JSON.writeValueAsString(doc);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return doc;
    }

    /** A JSON pointer as a URI fragment: the characters a fragment may not hold, percent-encoded. */
    static String uriFragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (byte b : pointer.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (Character.isLetterOrDigit(c) && c < 128 || "/~-._!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    /** What the schema loader hands networknt: the document (as read here) and the JSON files under contracts/. */
    static String schemaText(String iri) {
        if (iri.equals(OPENAPI_IRI)) {
            doc();
            return docJson;
        }
        if (iri.startsWith(BASE)) {
            Path file = CONTRACTS.resolve(iri.substring(BASE.length())).normalize();
            if (Files.isRegularFile(file)) {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError("the examples' schemas refer to " + iri + ", which is not in contracts/");
    }

    static Object readYaml(Resolver resolver) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        DumperOptions dumper = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, resolver);
        try (Reader in = Files.newBufferedReader(OPENAPI, StandardCharsets.UTF_8)) {
            Object root = yaml.load(in);
            assertThat(root).as("openapi.yaml's top level").isInstanceOf(Map.class);
            return root;
        }
    }

    /** YAML 1.2's core schema: only true/false are booleans, no timestamps, no sexagesimal or underscored numbers. */
    static final class CoreSchemaResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
            addImplicitResolver(Tag.INT, Pattern.compile("^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$"), "-+0123456789");
            addImplicitResolver(Tag.FLOAT, Pattern.compile(
                    "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"),
                    "-+0123456789.");
            addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL)$"), "~nN");
            addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
        }
    }
}
