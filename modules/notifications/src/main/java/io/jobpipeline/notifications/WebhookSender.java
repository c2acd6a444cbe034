package io.jobpipeline.notifications;

import io.jobpipeline.core.Json;
import io.jobpipeline.core.event.EventEnvelope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts an event to a callback URL and says what came of it. */
final class WebhookSender {
    private final CallbackPolicy policy;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    WebhookSender(CallbackPolicy policy) {
        this.policy = policy;
    }

    record Result(String outcome, int status, boolean retryable) {
        static Result noCallback() {
            return new Result("NO_CALLBACK", 0, false);
        }
    }

    Result deliver(String callbackUrl, EventEnvelope envelope) {
        URI uri;
        try {
            uri = URI.create(callbackUrl);
        } catch (IllegalArgumentException e) {
            return new Result("REFUSED: not a URL", 0, false);
        }
        String refusal = policy.refusal(uri);
        if (refusal != null) {
            return new Result("REFUSED: " + refusal, 0, false);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(5))
                .header("content-type", "application/json")
                .header("webhook-id", envelope.detail().path("eventId").asText())
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(envelope)))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Result("DELIVERED", status, false);
            }
            return new Result("HTTP " + status, status, status >= 500 || status == 429);
        } catch (IOException e) {
            return new Result("UNREACHABLE: " + e.getMessage(), 0, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result("INTERRUPTED", 0, true);
        }
    }
}
