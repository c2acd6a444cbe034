package io.jobpipeline.local.http;

import io.jobpipeline.local.lambda.LocalFunction;
import io.jobpipeline.local.template.HttpRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP API's routes from the template, matched as API Gateway does: literal segments win over parameters. */
final class RouteTable {
    /** A matched route; authorizer is null for an open route. */
    record Match(String routeKey, LocalFunction function, Map<String, String> pathParameters, JwtAuthorizer authorizer) {}

    private record Route(HttpRoute route, Pattern pattern, List<String> names, LocalFunction function, int literalSegments,
                         JwtAuthorizer authorizer) {}

    private final List<Route> routes = new ArrayList<>();

    void add(HttpRoute route, LocalFunction function, JwtAuthorizer authorizer) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        int literals = 0;
        for (String segment : route.path().split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            regex.append('/');
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                names.add(segment.substring(1, segment.length() - 2));
                regex.append("(.+)");
            } else if (segment.startsWith("{") && segment.endsWith("}")) {
                names.add(segment.substring(1, segment.length() - 1));
                regex.append("([^/]+)");
            } else {
                literals++;
                regex.append(Pattern.quote(segment));
            }
        }
        routes.add(new Route(route, Pattern.compile(regex.isEmpty() ? "/" : regex.toString()), names, function, literals,
                authorizer));
        routes.sort(Comparator.comparingInt((Route r) -> -r.literalSegments()).thenComparingInt(r -> r.names().size()));
    }

    Optional<Match> match(String method, String path) {
        for (Route r : routes) {
            if (!r.route().method().equals("ANY") && !r.route().method().equalsIgnoreCase(method)) {
                continue;
            }
            Matcher m = r.pattern().matcher(path);
            if (m.matches()) {
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 0; i < r.names().size(); i++) {
                    params.put(r.names().get(i), m.group(i + 1));
                }
                return Optional.of(new Match(r.route().method() + " " + r.route().path(), r.function(), params, r.authorizer()));
            }
        }
        return Optional.empty();
    }

    List<String> routeKeys() {
        return routes.stream().map(r -> r.route().method() + " " + r.route().path()).toList();
    }
}
