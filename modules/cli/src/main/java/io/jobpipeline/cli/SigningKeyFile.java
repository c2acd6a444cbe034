package io.jobpipeline.cli;

import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The local stack's signing key as {@code ./pipeline up} keeps it (io.jobpipeline.local.http.LocalSigningKey, which
 * makes it): {@value #FILE_NAME} in the {@code --data} directory, else in {@code ~/.jobpipeline}. An RSA private key
 * in JWK form, with its {@code kid}.
 */
final class SigningKeyFile {
    static final String FILE_NAME = "local-signing-key.jwk";
    static final String HOME_DIRECTORY = ".jobpipeline";

    private SigningKeyFile() {
    }

    static Path location(Path dataDirectory) {
        return dataDirectory != null ? dataDirectory.resolve(FILE_NAME)
                : Path.of(System.getProperty("user.home"), HOME_DIRECTORY, FILE_NAME);
    }

    static RSAKey read(Path file, Path dataDirectory) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CliFailure.failed("no local signing key at " + file + ": ./pipeline up" + (dataDirectory == null ? ""
                    : " --data " + dataDirectory) + " makes it on its first run; start it once"
                    + (dataDirectory == null ? " (or pass the --data DIR you give ./pipeline up)" : ""));
        } catch (IOException e) {
            throw CliFailure.failed("cannot read the local signing key " + file + ": " + e.getMessage());
        }
        try {
            RSAKey key = RSAKey.parse(text);
            if (key.isPrivate() && key.getKeyID() != null) {
                return key;
            }
        } catch (ParseException | IllegalArgumentException e) {
            // reported below
        }
        throw CliFailure.failed(file + " is not the local stack's signing key (an RSA private JWK with a kid)");
    }
}
