package io.jobpipeline.local.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobpipeline.local.faults.FaultyHttpClient.Fault;
import java.util.List;
import java.util.Map;

/**
 * For tests outside this package (the API contract test): the intake's answer to a route while every call it makes
 * to DynamoDB and SQS fails (a 500, or a refusal no retry changes), through an {@link IntakeRig} of its own (in-process, against the shared
 * stack's emulators, the same handler the HTTP front invokes).
 */
public final class IntakeFaults {
    private static final List<String> OPERATIONS = List.of("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query",
            "TransactWriteItems", "BatchGetItem", "SendMessage", "SendMessageBatch");

    private IntakeFaults() {}

    /**
     * The answer to {@code routeKey} (e.g. {@code GET /jobs/{id}}) sent to {@code path} with {@code body} (null for
     * none), while DynamoDB and SQS are down.
     */
    public static APIGatewayV2HTTPResponse whileTheBackendIsDown(String routeKey, String path, Map<String, String> pathParameters,
                                                                String body) {
        return invoke(routeKey, path, pathParameters, body, rig -> OPERATIONS.forEach(o -> rig.http.fail(o, Fault.SERVER_ERROR)));
    }

    /**
     * The answer while DynamoDB and SQS refuse every call with a 400 no retry changes (a validation error: a bug or a
     * misconfigured stack), which the intake answers with its catch-all 500.
     */
    public static APIGatewayV2HTTPResponse whileTheBackendRefuses(String routeKey, String path, Map<String, String> pathParameters,
                                                                 String body) {
        return invoke(routeKey, path, pathParameters, body, rig -> OPERATIONS.forEach(rig.http::refuse));
    }

    private static APIGatewayV2HTTPResponse invoke(String routeKey, String path, Map<String, String> pathParameters, String body,
                                                   java.util.function.Consumer<IntakeRig> breakIt) {
        try (IntakeRig rig = new IntakeRig()) {
            breakIt.accept(rig);
            String method = routeKey.split(" ", 2)[0];
            APIGatewayV2HTTPEvent event = rig.event(method, path, body, Map.of());
            event.setRouteKey(routeKey);
            event.getRequestContext().setRouteKey(routeKey);
            event.setPathParameters(pathParameters.isEmpty() ? null : pathParameters);
            if (body == null) {
                event.setBody(null);
            }
            return rig.handler.handleRequest(event, null);
        }
    }
}
