package io.jobpipeline.local.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jobpipeline.local.template.JwtAuthorizerSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Development bearer tokens for the local stack: RS256 JWTs signed with the {@link LocalSigningKey}, carrying the
 * issuer and audience of the template's authorizer and the producer as {@code sub}, which the intake records as the
 * job's producer. {@code ./pipeline token} mints the same tokens from the same key file.
 */
public final class LocalTokens {
    /** How long a token lives unless told otherwise; the CLI's {@code --ttl} default. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(12);

    private final LocalSigningKey key;
    private final String issuer;
    private final List<String> audience;
    private final Clock clock;

    public LocalTokens(LocalSigningKey key, String issuer, List<String> audience, Clock clock) {
        if (audience.isEmpty()) {
            throw new IllegalArgumentException("a token needs an audience");
        }
        this.key = key;
        this.issuer = issuer;
        this.audience = List.copyOf(audience);
        this.clock = clock;
    }

    /** Tokens the authorizer accepts when it checks them against {@code key}. */
    public static LocalTokens of(JwtAuthorizerSpec authorizer, LocalSigningKey key) {
        return new LocalTokens(key, authorizer.issuer(), authorizer.audience(), Clock.systemUTC());
    }

    /** A token for {@code producer}, valid for {@link #DEFAULT_TTL}. */
    public String mint(String producer) {
        return mint(producer, DEFAULT_TTL);
    }

    public String mint(String producer, Duration ttl) {
        return sign(claims(producer, ttl).build());
    }

    /**
     * The claims {@link #mint} signs, to change before {@link #sign}: {@code iss}, {@code aud} (the authorizer's
     * first audience), {@code sub}, {@code iat}, {@code nbf}, {@code exp} and a fresh {@code jti}.
     */
    public JWTClaimsSet.Builder claims(String producer, Duration ttl) {
        if (producer == null || producer.isBlank()) {
            throw new IllegalArgumentException("a token needs a producer (its sub)");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a token's time to live must be positive, got " + ttl);
        }
        Instant now = clock.instant();
        Date issued = Date.from(now.minusMillis(now.toEpochMilli() % 1000));
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience.get(0)).subject(producer)
                .issueTime(issued).notBeforeTime(issued).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** Any claims, signed RS256 with this key and its {@code kid}. */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.keyId())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key.jwk()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    public LocalSigningKey key() {
        return key;
    }

    public String issuer() {
        return issuer;
    }

    public List<String> audience() {
        return audience;
    }
}
