package io.jobpipeline.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JWT authorizers of the template's HttpApis ({@code Auth}, else {@code Globals.HttpApi.Auth}) and decides
 * which HttpApi route each guards. What the local stack cannot honour (Lambda or IAM authorizers, authorization
 * scopes) stops the load rather than leaving a route open that AWS would guard.
 */
final class HttpApiAuthReader {
    static final String HTTP_API = "AWS::Serverless::HttpApi";
    private static final String NONE = "NONE";

    /** An HttpApi event of a function: its route, its API (null: SAM's implicit API), the authorizer it names. */
    record ApiEvent(HttpRoute route, String apiLogicalId, String authorizer, Props properties) {
    }

    private record ApiAuth(String defaultAuthorizer, Map<String, Builder> authorizers) {
    }

    private static final class Builder {
        final String api;
        final String name;
        final String identitySource;
        final String issuer;
        final List<String> audience;
        final List<HttpRoute> routes = new ArrayList<>();

        Builder(String api, String name, String identitySource, String issuer, List<String> audience) {
            this.api = api;
            this.name = name;
            this.identitySource = identitySource;
            this.issuer = issuer;
            this.audience = audience;
        }

        JwtAuthorizerSpec build() {
            return new JwtAuthorizerSpec(api, name, identitySource, issuer, audience, routes);
        }
    }

    private HttpApiAuthReader() {
    }

    /** The event's API: its {@code ApiId} (which must be an HttpApi of this template), or null for the implicit API. */
    static String apiOf(Props event, Map<String, String> types) throws TemplateException {
        if (event == null || !event.has("ApiId")) {
            return null;
        }
        String id = event.logicalId("ApiId", null);
        if (!HTTP_API.equals(types.get(id))) {
            throw event.fail("ApiId", ResourceReaders.notA(id, HTTP_API, types));
        }
        return id;
    }

    /** The authorizer an event names in {@code Auth.Authorizer} (maybe NONE), or null for the API's default. */
    static String authorizerOf(Props event) throws TemplateException {
        if (event == null) {
            return null;
        }
        Optional<Props> auth = event.child("Auth");
        if (auth.isEmpty()) {
            return null;
        }
        if (auth.get().has("AuthorizationScopes")) {
            throw auth.get().fail("AuthorizationScopes", "not supported by the local stack, which checks no scopes");
        }
        return auth.get().string("Authorizer").orElse(null);
    }

    static List<JwtAuthorizerSpec> read(Map<String, Props> apis, Props globals, List<ApiEvent> events)
            throws TemplateException {
        Map<String, ApiAuth> auths = new LinkedHashMap<>();
        for (Map.Entry<String, Props> api : apis.entrySet()) {
            Optional<Props> auth = api.getValue().child("Auth");
            auths.put(api.getKey(), auth(api.getKey(), auth.isPresent() ? auth : globals.child("Auth")));
        }
        if (events.stream().anyMatch(e -> e.apiLogicalId() == null)) {
            auths.put(JwtAuthorizerSpec.IMPLICIT_API, auth(JwtAuthorizerSpec.IMPLICIT_API, globals.child("Auth")));
        }
        for (ApiEvent event : events) {
            String api = event.apiLogicalId() == null ? JwtAuthorizerSpec.IMPLICIT_API : event.apiLogicalId();
            ApiAuth auth = auths.get(api);
            String name = event.authorizer() != null ? event.authorizer() : auth.defaultAuthorizer();
            if (name == null || name.equals(NONE)) {
                continue;
            }
            Builder authorizer = auth.authorizers().get(name);
            if (authorizer == null) {
                throw event.properties().fail("Auth.Authorizer", name.equals("AWS_IAM")
                        ? "AWS_IAM is not supported by the local stack" : "the API " + api + " has no authorizer named '"
                        + name + "' in Auth.Authorizers");
            }
            if (!authorizer.routes.contains(event.route())) {
                authorizer.routes.add(event.route());
            }
        }
        List<JwtAuthorizerSpec> out = new ArrayList<>();
        for (ApiAuth auth : auths.values()) {
            auth.authorizers().values().forEach(b -> out.add(b.build()));
        }
        return out;
    }

    private static ApiAuth auth(String api, Optional<Props> authSection) throws TemplateException {
        if (authSection.isEmpty()) {
            return new ApiAuth(null, Map.of());
        }
        Props auth = authSection.get();
        if (auth.bool("EnableIamAuthorizer", false)) {
            throw auth.fail("EnableIamAuthorizer", "IAM authorization is not supported by the local stack");
        }
        Map<String, Builder> authorizers = new LinkedHashMap<>();
        Optional<Props> declared = auth.child("Authorizers");
        if (declared.isPresent()) {
            for (String name : declared.get().raw().keySet()) {
                Props a = declared.get().requiredChild(name);
                if (a.has("FunctionArn")) {
                    throw a.fail("FunctionArn", "Lambda authorizers are not supported by the local stack; use a JWT "
                            + "authorizer (JwtConfiguration)");
                }
                if (a.has("AuthorizationScopes")) {
                    throw a.fail("AuthorizationScopes", "not supported by the local stack, which checks no scopes");
                }
                String source = a.string("IdentitySource").orElse(JwtAuthorizerSpec.DEFAULT_IDENTITY_SOURCE);
                if (!JwtAuthorizerSpec.isSupportedIdentitySource(source)) {
                    throw a.fail("IdentitySource", "expected $request.header.<Name> or $request.querystring.<name>, got '"
                            + source + "'");
                }
                Props jwt = a.requiredChild("JwtConfiguration");
                String issuerKey = jwt.has("issuer") || !jwt.has("Issuer") ? "issuer" : "Issuer";
                String issuer = jwt.requiredString(issuerKey);
                if (issuer.isBlank()) {
                    throw jwt.fail(issuerKey, "must not be empty");
                }
                String audienceKey = jwt.has("audience") || !jwt.has("Audience") ? "audience" : "Audience";
                List<String> audience = new ArrayList<>();
                List<Object> values = jwt.has(audienceKey) && !(jwt.get(audienceKey) instanceof List<?>)
                        ? List.of(jwt.get(audienceKey)) : jwt.list(audienceKey);
                for (Object value : values) {
                    if (!(value instanceof String text) || text.isBlank()) {
                        throw jwt.fail(audienceKey, "expected a list of text, got " + Props.show(value));
                    }
                    audience.add(text);
                }
                if (audience.isEmpty()) {
                    throw jwt.fail(audienceKey, "missing: a JWT authorizer needs at least one audience");
                }
                authorizers.put(name, new Builder(api, name, source, issuer, audience));
            }
        }
        String defaultAuthorizer = auth.string("DefaultAuthorizer").orElse(null);
        if (defaultAuthorizer != null && !authorizers.containsKey(defaultAuthorizer)) {
            throw auth.fail("DefaultAuthorizer", defaultAuthorizer.equals("AWS_IAM")
                    ? "AWS_IAM is not supported by the local stack"
                    : "no authorizer named '" + defaultAuthorizer + "' in Auth.Authorizers");
        }
        return new ApiAuth(defaultAuthorizer, authorizers);
    }
}
