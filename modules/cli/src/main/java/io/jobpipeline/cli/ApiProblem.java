package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.util.ArrayList;
import java.util.List;

/** An RFC 9457 problem answered by the API, reduced to what the user reads: status, title, detail, and each violation. */
record ApiProblem(int status, String title, String detail, List<Violation> errors) {
    record Violation(String pointer, String message) {}

    private static final int MAX_RAW = 200;

    static ApiProblem of(ApiResponse response) {
        JsonNode json = parse(response.body());
        if (json == null || !json.isObject()) {
            return new ApiProblem(response.status(), reason(response.status()), raw(response.body()), List.of());
        }
        List<Violation> errors = new ArrayList<>();
        for (JsonNode e : json.path("errors")) {
            errors.add(new Violation(e.path("pointer").asText(""), e.path("message").asText("")));
        }
        String title = json.path("title").asText(reason(response.status()));
        String detail = json.hasNonNull("detail") ? json.get("detail").asText() : json.path("message").asText("");
        return new ApiProblem(response.status(), title, detail, errors);
    }

    /** {@code error: 422 Invalid Job: detail}, then {@code   /payload/plate: message} per violation. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("error: " + status + " " + title + (detail == null || detail.isBlank() ? "" : ": " + detail));
        for (Violation v : errors) {
            lines.add("  " + (v.pointer().isEmpty() ? "(body)" : v.pointer()) + ": " + v.message());
        }
        return lines;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : Json.tree(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String raw(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_RAW ? oneLine : oneLine.substring(0, MAX_RAW) + "...";
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP error";
        };
    }
}
