package io.jobpipeline.notifications;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** One signed POST of an event to a callback URL, and what came of it. Redirects are not followed. */
final class WebhookSender {
    static final String DELIVERED = "DELIVERED";
    static final String NO_CALLBACK = "NO_CALLBACK";
    static final String REFUSED = "REFUSED";
    /** The receiver answered with a status that another try will not change (4xx but 408 and 429, 3xx). */
    static final String REJECTED = "REJECTED";
    /** The receiver answered 5xx, 408 or 429: worth another try. */
    static final String FAILED = "FAILED";
    static final String TIMEOUT = "TIMEOUT";
    static final String UNREACHABLE = "UNREACHABLE";

    private final HttpClient http;

    WebhookSender(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * @param outcome   one of the constants above
     * @param status    the HTTP status, 0 without a response
     * @param retryable whether another try may succeed
     * @param detail    why, in words (null when delivered)
     */
    record Result(String outcome, int status, boolean retryable, String detail) {
        boolean delivered() {
            return DELIVERED.equals(outcome);
        }
    }

    /** The signed request: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature} (Standard Webhooks). */
    Result send(URI uri, String webhookId, long timestamp, String body, byte[] key, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", "jobpipeline-webhooks/1")
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(key, webhookId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Result(DELIVERED, status, false, null);
            }
            boolean retryable = status >= 500 || status == 408 || status == 429;
            return new Result(retryable ? FAILED : REJECTED, status, retryable, "answered " + status
                    + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
        } catch (HttpTimeoutException e) {
            return new Result(TIMEOUT, 0, true, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Result(UNREACHABLE, 0, true, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(UNREACHABLE, 0, true, "interrupted");
        }
    }
}
