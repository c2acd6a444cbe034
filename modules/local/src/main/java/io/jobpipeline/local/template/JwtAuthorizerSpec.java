package io.jobpipeline.local.template;

import java.util.List;

/**
 * A JWT authorizer of an {@code AWS::Serverless::HttpApi} ({@code Auth.Authorizers.<name>.JwtConfiguration}), and the
 * routes it guards: every HttpApi route of that API when it is the API's {@code DefaultAuthorizer}, unless the route
 * sets {@code Auth: {Authorizer: NONE}}; and every route that names it in {@code Auth.Authorizer}.
 *
 * @param apiLogicalId   the HttpApi's logical id ({@value #IMPLICIT_API} for SAM's implicit API, from Globals.HttpApi)
 * @param identitySource where the token is, {@code $request.header.<Name>} or {@code $request.querystring.<name>}
 * @param issuer         the {@code iss} a token must carry, resolved at load time
 * @param audience       a token's {@code aud} (or, without aud, its {@code client_id}) must be one of these
 */
public record JwtAuthorizerSpec(String apiLogicalId, String name, String identitySource, String issuer,
                                List<String> audience, List<HttpRoute> routes) {
    /** The logical id SAM gives the API it creates for HttpApi events without ApiId. */
    public static final String IMPLICIT_API = "ServerlessHttpApi";
    static final String DEFAULT_IDENTITY_SOURCE = "$request.header.Authorization";
    private static final String HEADER = "$request.header.";
    private static final String QUERY = "$request.querystring.";

    public JwtAuthorizerSpec {
        audience = List.copyOf(audience);
        routes = List.copyOf(routes);
    }

    public boolean guards(HttpRoute route) {
        return routes.contains(route);
    }

    /** The header's name when the token comes in a header, else null. */
    public String headerName() {
        return identitySource.startsWith(HEADER) ? identitySource.substring(HEADER.length()) : null;
    }

    /** The query parameter's name when the token comes in the query string, else null. */
    public String queryParameterName() {
        return identitySource.startsWith(QUERY) ? identitySource.substring(QUERY.length()) : null;
    }

    static boolean isSupportedIdentitySource(String source) {
        return source.matches("\\$request\\.(header|querystring)\\.[^\\s,.$]+");
    }
}
