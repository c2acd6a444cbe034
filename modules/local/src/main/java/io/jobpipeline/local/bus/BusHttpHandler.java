package io.jobpipeline.local.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import software.amazon.event.ruler.GenericMachine;
import software.amazon.event.ruler.JsonRuleCompiler;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The AWS JSON 1.1 front: {@code POST /} with {@code X-Amz-Target: AWSEvents.<Op>}. Serves PutEvents,
 * ListEventBuses, DescribeEventBus, ListRules, TestEventPattern and the archive and replay operations ({@link ArchiveReplays}); errors carry {@code __type} + {@code message} and {@code x-amzn-ErrorType}
 * so the SDKs and the CLI raise the matching exception.
 */
final class BusHttpHandler implements HttpHandler {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "AWSEvents.";
    /** Ten entries of 256 KiB of JSON-escaped text fit comfortably; anything larger is not a PutEvents call. */
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final List<String> TEST_EVENT_FIELDS =
            List.of("id", "account", "source", "time", "region", "detail-type");
    private static final Logger LOG = LoggerFactory.getLogger(BusHttpHandler.class);

    private final BusEngine engine;
    private final ArchiveReplays archives;

    BusHttpHandler(BusEngine engine, ArchiveReplays archives) {
        this.engine = engine;
        this.archives = archives;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            try {
                JsonNode response = dispatch(exchange);
                send(exchange, 200, response);
            } catch (BusApiException e) {
                sendError(exchange, e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("event bus request {} failed", requestId, e);
                sendError(exchange, 500, "InternalException", "Internal error: " + e.getMessage());
            }
        }
    }

    private JsonNode dispatch(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw BusApiException.unknownOperation("Only POST is supported; got " + exchange.getRequestMethod());
        }
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw BusApiException.unknownOperation("Missing or foreign X-Amz-Target header: " + target);
        }
        String operation = target.substring(TARGET_PREFIX.length());
        JsonNode body = readBody(exchange);
        return switch (operation) {
            case "PutEvents" -> engine.putEvents(body);
            case "ListEventBuses" -> listEventBuses(body);
            case "DescribeEventBus" -> describeEventBus(body);
            case "ListRules" -> listRules(body);
            case "TestEventPattern" -> testEventPattern(body);
            case "ListArchives" -> archives.listArchives(body);
            case "DescribeArchive" -> archives.describeArchive(body);
            case "StartReplay" -> archives.startReplay(body);
            case "DescribeReplay" -> archives.describeReplay(body);
            case "ListReplays" -> archives.listReplays(body);
            default -> throw BusApiException.unknownOperation(
                    "Operation " + operation + " is not supported by the local event bus (supported: PutEvents, "
                            + "ListEventBuses, DescribeEventBus, ListRules, TestEventPattern, ListArchives, DescribeArchive, StartReplay, "
                            + "DescribeReplay, ListReplays).");
        };
    }

    private ObjectNode listEventBuses(JsonNode request) {
        String prefix = BusJson.optionalText(request, "NamePrefix");
        List<String> names = engine.registry().names().stream()
                .filter(name -> prefix == null || name.startsWith(prefix)).toList();
        ObjectNode response = BusJson.MAPPER.createObjectNode();
        ArrayNode buses = response.putArray("EventBuses");
        for (String name : ListPage.of(names, request, response)) {
            buses.addObject().put("Name", name).put("Arn", engine.registry().busArn(name));
        }
        return response;
    }

    private ObjectNode listRules(JsonNode request) {
        String nameOrArn = BusJson.optionalText(request, "EventBusName");
        String busName = engine.registry().resolve(nameOrArn).orElseThrow(() ->
                BusApiException.notFound("Event bus " + nameOrArn + " does not exist."));
        String prefix = BusJson.optionalText(request, "NamePrefix");
        List<BusRule> rules = engine.matcher().rules(busName).stream()
                .filter(rule -> prefix == null || rule.name().startsWith(prefix)).toList();
        ObjectNode response = BusJson.MAPPER.createObjectNode();
        ArrayNode list = response.putArray("Rules");
        for (BusRule rule : ListPage.of(rules, request, response)) {
            list.addObject().put("Name", rule.name()).put("Arn", engine.registry().ruleArn(busName, rule.name()))
                    .put("EventPattern", rule.patternJson()).put("State", "ENABLED").put("EventBusName", busName);
        }
        return response;
    }

    /** Matches with Event Ruler, as the bus's rules do; the event needs the envelope fields AWS requires. */
    private static ObjectNode testEventPattern(JsonNode request) {
        String pattern = BusJson.optionalText(request, "EventPattern");
        String event = BusJson.optionalText(request, "Event");
        if (pattern == null || event == null) {
            throw BusApiException.validation("1 validation error detected: Value null at '"
                    + (pattern == null ? "eventPattern" : "event") + "' failed to satisfy constraint: Member must not be null");
        }
        String problem = JsonRuleCompiler.check(pattern);
        if (problem != null) {
            throw new BusApiException("InvalidEventPatternException", 400, "Event pattern is not valid. Reason: "
                    + problem.lines().findFirst().orElse(problem));
        }
        JsonNode parsed;
        try {
            parsed = BusJson.parse(event);
        } catch (JsonProcessingException e) {
            throw BusApiException.validation("Parameter Event is not valid. Reason: it is not JSON: " + e.getOriginalMessage());
        }
        for (String field : TEST_EVENT_FIELDS) {
            if (!parsed.has(field)) {
                throw BusApiException.validation("Parameter Event is not valid. Reason: Provided Event must have " + field
                        + " field.");
            }
        }
        GenericMachine<String> machine = GenericMachine.<String>builder().build();
        try {
            machine.addRule("test", pattern);
            return BusJson.MAPPER.createObjectNode().put("Result", !machine.rulesForJSONEvent(event).isEmpty());
        } catch (Exception e) {
            throw new BusApiException("InvalidEventPatternException", 400, "Event pattern is not valid. Reason: " + e.getMessage());
        }
    }

    private ObjectNode describeEventBus(JsonNode request) {
        String nameOrArn = BusJson.optionalText(request, "Name");
        String name = engine.registry().resolve(nameOrArn).orElseThrow(() ->
                BusApiException.notFound("Event bus " + nameOrArn + " does not exist."));
        return BusJson.MAPPER.createObjectNode().put("Name", name).put("Arn", engine.registry().busArn(name));
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw BusApiException.validation("Request body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
        if (bytes.length == 0) {
            return BusJson.MAPPER.createObjectNode();
        }
        try {
            JsonNode body = BusJson.parse(new String(bytes, StandardCharsets.UTF_8));
            if (!body.isObject()) {
                throw BusApiException.serialization("Request body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw BusApiException.serialization("Request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static void sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
        ObjectNode body = BusJson.MAPPER.createObjectNode().put("__type", code).put("message", message);
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = BusJson.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
