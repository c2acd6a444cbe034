package io.jobpipeline.local;

import io.jobpipeline.local.template.FunctionSpec;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Where the stack gets its function handlers and the HTTP client under its own SDK clients (pollers, rule dead-letter
 * queues). The default builds each handler as Lambda's runtime does and leaves the client alone; fault-injection tests
 * and the chaos bench hand in handlers whose SDK clients fail on purpose, behind the SDK's own interfaces.
 */
public interface LocalWiring {
    LocalWiring DEFAULT = new LocalWiring() {};

    /** The handler object of {@code function}, given its environment; empty: the template's class, constructed. */
    default Optional<Object> handler(FunctionSpec function, Map<String, String> environment) {
        return Optional.empty();
    }

    /** The client the stack's own SQS and DynamoDB clients send through; closed with them. */
    default SdkHttpClient stackHttpClient(SdkHttpClient real) {
        return real;
    }
}
