package io.jobpipeline.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jobpipeline.core.Json;
import io.jobpipeline.local.lambda.LocalFunction;
import io.jobpipeline.local.template.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for API Gateway's HTTP API: routes from the template, each request turned into the payload
 * format 2.0 event and handed to the function the template names; {@code GET /health} reports readiness. A route
 * guarded by a JWT authorizer answers 401 (as API Gateway does, before the function runs) unless the request carries
 * a token the authorizer accepts, whose claims then reach the function in {@code requestContext.authorizer.jwt}.
 */
public final class HttpApiFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiFront.class);
    /** API Gateway's HTTP API payload limit. */
    private static final int MAX_BODY = 10 * 1024 * 1024;

    private final RouteTable routes = new RouteTable();
    private final HttpServer server;
    private final String accountId;
    private final BooleanSupplier ready;

    public HttpApiFront(String host, int port, String accountId, BooleanSupplier ready) throws IOException {
        this.accountId = accountId;
        this.ready = ready;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
    }

    /** An open route. */
    public void route(HttpRoute route, LocalFunction function) {
        routes.add(route, function, null);
    }

    /** A route guarded by {@code authorizer} (null: open). */
    public void route(HttpRoute route, LocalFunction function, JwtAuthorizer authorizer) {
        routes.add(route, function, authorizer);
    }

    public void start() {
        server.start();
    }

    public URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    public java.util.List<String> routeKeys() {
        return routes.routeKeys();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health") && exchange.getRequestMethod().equals("GET")) {
                boolean isReady = ready.getAsBoolean();
                send(exchange, isReady ? 200 : 503, Map.of("content-type", "application/json"),
                        Json.write(Map.of("status", isReady ? "ready" : "starting")).getBytes(StandardCharsets.UTF_8));
                return;
            }
            Optional<RouteTable.Match> match = routes.match(exchange.getRequestMethod(), path);
            if (match.isEmpty()) {
                send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Map<String, Object> authorizer = null;
            JwtAuthorizer guard = match.get().authorizer();
            if (guard != null) {
                JwtAuthorizer.Decision decision = guard.authorize(
                        guard.identity(exchange.getRequestHeaders(), exchange.getRequestURI().getRawQuery()));
                if (decision instanceof JwtAuthorizer.Decision.Deny deny) {
                    LOG.debug("{}: 401 ({})", match.get().routeKey(), deny.reason() == null ? "no token" : deny.reason());
                    send(exchange, 401, Map.of("content-type", "application/json", "www-authenticate", deny.wwwAuthenticate()),
                            "{\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                authorizer = ((JwtAuthorizer.Decision.Allow) decision).authorizer();
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, Map.of("content-type", "application/json"),
                        "{\"message\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String domain = exchange.getLocalAddress().getHostString() + ":" + exchange.getLocalAddress().getPort();
            String event = HttpApiEvents.of(exchange, body, match.get(), authorizer, accountId, domain);
            String response;
            try {
                response = match.get().function().invoke(event);
            } catch (Exception e) {
                LOG.error("{} failed", match.get().routeKey(), e);
                send(exchange, 500, Map.of("content-type", "application/json"),
                        "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            respond(exchange, response);
        }
    }

    /**
     * Maps the function's answer as payload format 2.0 does: an object with {@code statusCode} is a structured response;
     * any other valid JSON is a 200 {@code application/json} body as it is; anything else is a 500.
     */
    private static void respond(HttpExchange exchange, String response) throws IOException {
        JsonNode json;
        try {
            json = Json.tree(response);
        } catch (RuntimeException e) {
            LOG.error("the function's response is not JSON: {}", response, e);
            send(exchange, 500, Map.of("content-type", "application/json"),
                    "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (json == null || !json.isObject() || !json.has("statusCode")) {
            send(exchange, 200, Map.of("content-type", "application/json"), response.getBytes(StandardCharsets.UTF_8));
            return;
        }
        int status = json.path("statusCode").asInt(200);
        JsonNode headers = json.path("headers");
        headers.fieldNames().forEachRemaining(name -> exchange.getResponseHeaders().add(name, headers.get(name).asText()));
        JsonNode multi = json.path("multiValueHeaders");
        multi.fieldNames().forEachRemaining(name -> multi.get(name).forEach(v -> exchange.getResponseHeaders().add(name, v.asText())));
        json.path("cookies").forEach(c -> exchange.getResponseHeaders().add("set-cookie", c.asText()));
        JsonNode bodyNode = json.get("body");
        byte[] body = bodyNode == null || bodyNode.isNull() ? new byte[0]
                : json.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(bodyNode.asText())
                : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        send(exchange, status, Map.of(), body);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
