package io.jobpipeline.local;

import io.jobpipeline.local.template.StackTemplate;
import io.jobpipeline.local.template.TemplateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Values for the template's secret parameters (NoEcho, no Default), which a deployment takes from a secret store:
 * locally each gets a random value, kept in {@code DIR/secrets/<Name>} (owner-only) with a data directory so it
 * survives restarts, else new per run. {@code --parameter Name=VALUE} wins over both.
 */
public final class LocalSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalSecrets() {
    }

    /** Overrides for the secret parameters the given overrides leave out. */
    public static Map<String, String> missing(Path template, Map<String, String> given, Optional<Path> data) throws TemplateException {
        Map<String, String> values = new LinkedHashMap<>();
        Object parameters = StackTemplate.readAsJsonTree(template).get("Parameters");
        if (!(parameters instanceof Map<?, ?> declared)) {
            return values;
        }
        for (Map.Entry<?, ?> e : declared.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (given.containsKey(name) || !(e.getValue() instanceof Map<?, ?> p) || p.containsKey("Default")
                    || !Boolean.parseBoolean(String.valueOf(p.get("NoEcho")))) {
                continue;
            }
            values.put(name, data.map(dir -> stored(dir.resolve("secrets").resolve(name))).orElseGet(LocalSecrets::random));
        }
        return values;
    }

    private static String stored(Path file) {
        try {
            if (Files.exists(file)) {
                String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!value.isEmpty()) {
                    return value;
                }
            }
            Files.createDirectories(file.getParent());
            String value = random();
            Files.writeString(file, value, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own permissions apply
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local secret " + file, e);
        }
    }

    /** 32 random bytes, base64url: 43 characters. */
    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
