package io.jobpipeline.local.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Date;
import java.util.Optional;

/**
 * The key pair the local stack signs and checks development tokens with: RSA 2048, RS256, as API Gateway's JWT
 * authorizers take only RSA keys. {@code ./pipeline up} keeps it in a file ({@value #FILE_NAME} in the {@code --data}
 * directory, else in {@code ~/.jobpipeline}) made on first use, so tokens outlive restarts and {@code ./pipeline token}
 * finds the same key; stacks started in memory (tests) share one key per JVM that is never written anywhere.
 */
public final class LocalSigningKey {
    public static final String FILE_NAME = "local-signing-key.jwk";
    /** The directory under the user's home for the key of stacks run without {@code --data}. */
    public static final String HOME_DIRECTORY = ".jobpipeline";

    private static volatile LocalSigningKey inMemory;

    private final RSAKey key;
    private final Optional<Path> file;
    private final boolean created;

    private LocalSigningKey(RSAKey key, Optional<Path> file, boolean created) {
        this.key = key;
        this.file = file;
        this.created = created;
    }

    /** Where {@code ./pipeline up} keeps the key: in the data directory if there is one, else under the home. */
    public static Path defaultFile(Optional<Path> dataDirectory) {
        return dataDirectory.map(d -> d.resolve(FILE_NAME))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), HOME_DIRECTORY, FILE_NAME));
    }

    /** The key of every in-memory stack of this JVM: made once, never written. */
    public static LocalSigningKey inMemory() {
        LocalSigningKey key = inMemory;
        if (key == null) {
            synchronized (LocalSigningKey.class) {
                key = inMemory;
                if (key == null) {
                    key = generate();
                    inMemory = key;
                }
            }
        }
        return key;
    }

    /** A new key, in memory only (tests use one to sign tokens the stack must refuse). */
    public static LocalSigningKey generate() {
        return new LocalSigningKey(newKey(), Optional.empty(), true);
    }

    /**
     * The key in {@code file}, made (readable by the owner only) if the file does not exist yet. A file that is not
     * an RSA private key in JWK form fails, naming the file.
     */
    public static LocalSigningKey loadOrCreate(Path file) {
        if (Files.exists(file)) {
            return new LocalSigningKey(read(file), Optional.of(file), false);
        }
        RSAKey key = newKey();
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                ownerOnly(dir, "rwx------");
            }
            Path temp = Files.createTempFile(dir, ".signing-key", ".tmp");
            try {
                ownerOnly(temp, "rw-------");
                Files.writeString(temp, key.toJSONString() + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file); // no replace: a key another process made first wins
            } finally {
                Files.deleteIfExists(temp);
            }
            return new LocalSigningKey(key, Optional.of(file), true);
        } catch (FileAlreadyExistsException e) {
            return new LocalSigningKey(read(file), Optional.of(file), false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the local signing key " + file + ": " + e, e);
        }
    }

    private static RSAKey read(Path file) {
        try {
            RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!key.isPrivate() || key.getKeyID() == null) {
                throw new IllegalStateException("the local signing key " + file + " is not an RSA private key with a "
                        + "kid; delete it and a new one is made (tokens signed with it stop working)");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the local signing key " + file + ": " + e);
        } catch (ParseException | IllegalArgumentException e) {
            throw new IllegalStateException("the local signing key " + file + " is not an RSA JWK (" + e.getMessage()
                    + "); delete it and a new one is made (tokens signed with it stop working)");
        }
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).issueTime(new Date()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make an RSA key: " + e.getMessage(), e);
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    /** The key pair, private part included. */
    public RSAKey jwk() {
        return key;
    }

    public String keyId() {
        return key.getKeyID();
    }

    /** The public half, as an issuer's {@code jwks_uri} would publish it. */
    public JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** The file it is kept in; empty for an in-memory key. */
    public Optional<Path> file() {
        return file;
    }

    /** True when this run made the key (and wrote its file, if it has one). */
    public boolean created() {
        return created;
    }
}
