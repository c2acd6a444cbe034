package io.jobpipeline.local.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobpipeline.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A function that answers 200 with the event it was given as its body, and counts its invocations. */
public final class EchoHandler implements RequestStreamHandler {
    static final AtomicInteger INVOCATIONS = new AtomicInteger();

    public EchoHandler(Map<String, String> environment) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        INVOCATIONS.incrementAndGet();
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        output.write(Json.write(Map.of("statusCode", 200, "headers", Map.of("content-type", "application/json"),
                "body", event)).getBytes(StandardCharsets.UTF_8));
    }
}
