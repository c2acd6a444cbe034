package io.jobpipeline.cli;

import static io.jobpipeline.cli.TemplateYaml.map;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The issuer and audience a token needs, from the JWT authorizer of template.yaml's HttpApi (its DefaultAuthorizer,
 * else its first JWT authorizer; Globals.HttpApi.Auth when the API has no Auth). Values may be text, {@code !Ref} of
 * a parameter (override, else Default) or {@code !Sub} over parameters: what the local stack resolves at load time.
 */
record TemplateAuthorizer(String name, String issuer, String audience) {

    static TemplateAuthorizer read(Path template, Map<String, String> overrides) {
        TemplateYaml yaml = TemplateYaml.load(template);
        Map<String, Object> parameters = yaml.section("Parameters");
        for (String name : overrides.keySet()) {
            if (!parameters.containsKey(name)) {
                throw CliFailure.usage("--parameter " + name + ": " + template + " declares no such parameter");
            }
        }
        Map<String, Object> globalAuth = map(map(yaml.section("Globals").get("HttpApi")).get("Auth"));
        for (Map.Entry<String, Map<String, Object>> resource : yaml.resources("AWS::Serverless::HttpApi").entrySet()) {
            Map<String, Object> auth = map(resource.getValue().get("Auth"));
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
            return new TemplateAuthorizer(name, yaml.resolve(issuer, where + ", issuer", overrides),
                    yaml.resolve(audience, where + ", audience", overrides));
        }
        throw CliFailure.failed("no AWS::Serverless::HttpApi of " + template + " has a JWT authorizer: its API wants no token");
    }
}
