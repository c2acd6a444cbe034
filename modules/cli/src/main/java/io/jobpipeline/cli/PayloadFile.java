package io.jobpipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A job's payload from a JSON file ({@code -} reads standard input); a missing or unreadable file is a usage error. */
final class PayloadFile {
    private PayloadFile() {}

    static JsonNode read(String file, InputStream stdin) {
        String text;
        try {
            text = "-".equals(file) ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw CliFailure.usage("payload file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw CliFailure.usage("cannot read payload file " + file + ": permission denied");
        } catch (IOException | RuntimeException e) {
            throw CliFailure.usage("cannot read payload file " + file + ": " + describe(e));
        }
        if (text.isBlank()) {
            throw CliFailure.usage("payload file " + file + " is empty");
        }
        try {
            return Json.tree(text);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("payload file " + file + " is not JSON: " + e.getMessage().replaceFirst("^not JSON: ", ""));
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
