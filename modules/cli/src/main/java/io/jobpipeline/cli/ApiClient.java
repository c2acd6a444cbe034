package io.jobpipeline.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The pipeline's HTTP API as the CLI sees it: JSON over the JDK's client, a bearer token if one was given. */
final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final String token;
    private final HttpClient http;

    private ApiClient(String base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** A client for {@code api}, which must be an absolute http(s) URL; anything else is a usage error. */
    static ApiClient of(String api, String token) {
        String base = api.strip().replaceAll("/+$", "");
        if (!isHttpUrl(base)) {
            throw CliFailure.usage("--api must be an http(s) URL such as " + PipelineCli.DEFAULT_API + ", not " + api);
        }
        return new ApiClient(base, token);
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    String base() {
        return base;
    }

    ApiResponse get(String path) {
        return send(request(path).GET());
    }

    ApiResponse postJson(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return send(request);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("accept", "application/json, application/problem+json");
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return request;
    }

    private ApiResponse send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiResponse(response.statusCode(), response.headers().firstValue("content-type").orElse(""), response.body());
        } catch (ConnectException | HttpConnectTimeoutException | UnknownHostException e) {
            throw CliFailure.failed("cannot reach " + base + " (is ./pipeline up running?)");
        } catch (HttpTimeoutException e) {
            throw CliFailure.failed(base + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw CliFailure.failed("talking to " + base + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.failed("interrupted");
        }
    }
}
