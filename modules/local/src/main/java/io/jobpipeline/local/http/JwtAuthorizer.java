package io.jobpipeline.local.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.jobpipeline.core.Json;
import io.jobpipeline.local.template.JwtAuthorizerSpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local stand-in for an HTTP API's JWT authorizer, checking what API Gateway checks: the token from the identity
 * source (bare or after {@code Bearer }), an RSA signature by a key of the issuer's key set found by {@code kid},
 * {@code iss}, {@code aud} (or {@code client_id} when there is no aud) against the audiences, and {@code exp},
 * {@code nbf}, {@code iat} with {@link #CLOCK_SKEW} of slack. The key set is the {@link LocalSigningKey}'s public half,
 * where in AWS it is the issuer's {@code jwks_uri}.
 */
public final class JwtAuthorizer {
    /** How far the clocks of token minter and checker may differ. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

    /** What the authorizer decided about one request. */
    public sealed interface Decision {
        /** Let through; {@code authorizer} is what goes into the event's {@code requestContext.authorizer}. */
        record Allow(Map<String, Object> authorizer) implements Decision {
        }

        /** 401; {@code wwwAuthenticate} is the header's value, {@code reason} what was wrong (null: no token). */
        record Deny(String wwwAuthenticate, String reason) implements Decision {
        }
    }

    private final JwtAuthorizerSpec spec;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Clock clock;

    public JwtAuthorizer(JwtAuthorizerSpec spec, JWKSet keys, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(RSA, new ImmutableJWKSet<>(keys.toPublicJWKSet())));
        processor.setJWTClaimsSetVerifier((claims, context) -> { }); // the claims are checked below, as AWS does
    }

    public JwtAuthorizer(JwtAuthorizerSpec spec, LocalSigningKey key) {
        this(spec, key.publicKeys(), Clock.systemUTC());
    }

    public JwtAuthorizerSpec spec() {
        return spec;
    }

    /** The identity source's value in a request: the header's (repeats joined by commas), or the query parameter's. */
    String identity(Map<String, List<String>> headers, String rawQuery) {
        String header = spec.headerName();
        if (header != null) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(header)) {
                    return String.join(",", e.getValue());
                }
            }
            return null;
        }
        String parameter = spec.queryParameterName();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                if (URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(parameter)) {
                    return kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                }
            }
        }
        return null;
    }

    /** Decides on the identity source's value (null or blank: no token). */
    public Decision authorize(String identity) {
        if (identity == null || identity.isBlank()) {
            return new Decision.Deny("Bearer", null);
        }
        String token = identity.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (jwt.getHeader().getKeyID() == null) {
                return invalid("the token has no kid header");
            }
            claims = processor.process(jwt, null);
        } catch (ParseException e) {
            return invalid("the token is not a signed JWT");
        } catch (BadJOSEException e) {
            return invalid(e.getMessage().contains("no matching key") ? "no key of the issuer matches the token's kid "
                    + "and alg" : "the token's signature is invalid");
        } catch (JOSEException e) {
            return invalid("the token cannot be verified: " + e.getMessage());
        }
        if (!spec.issuer().equals(claims.getIssuer())) {
            return invalid("the token's iss is not " + spec.issuer());
        }
        List<String> audience = claims.getAudience();
        if (audience.isEmpty()) {
            Object clientId = claims.getClaim("client_id");
            audience = clientId instanceof String id ? List.of(id) : List.of();
        }
        if (audience.stream().noneMatch(spec.audience()::contains)) {
            return invalid("the token's aud is not " + String.join(" or ", spec.audience()));
        }
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            return invalid("the token has no exp");
        }
        if (!expires.toInstant().isAfter(now.minus(CLOCK_SKEW))) {
            return invalid("the token has expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            return invalid("the token is not valid yet (nbf)");
        }
        Date issued = claims.getIssueTime();
        if (issued != null && issued.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            return invalid("the token was issued in the future (iat)");
        }
        return new Decision.Allow(requestContextAuthorizer(claims));
    }

    private static Decision invalid(String reason) {
        return new Decision.Deny("Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + reason + "\"", reason);
    }

    /**
     * {@code requestContext.authorizer} as API Gateway builds it for payload format 2.0: {@code jwt.claims} with every
     * claim as a string (numbers in decimal, arrays as {@code [a b]}, objects as JSON), and {@code jwt.scopes} from
     * {@code scope} (space-separated) or {@code scp}, or null when the token has neither.
     */
    public static Map<String, Object> requestContextAuthorizer(JWTClaimsSet claims) {
        Map<String, Object> json = claims.toJSONObject();
        Map<String, String> strings = new LinkedHashMap<>();
        json.forEach((name, value) -> {
            if (value != null) {
                strings.put(name, text(value));
            }
        });
        Map<String, Object> jwt = new LinkedHashMap<>();
        jwt.put("claims", strings);
        jwt.put("scopes", scopes(json));
        Map<String, Object> authorizer = new LinkedHashMap<>();
        authorizer.put("jwt", jwt);
        return authorizer;
    }

    private static String text(Object value) {
        return switch (value) {
            case String s -> s;
            case Number n -> n instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                    ? Long.toString(d.longValue()) : n.toString();
            case Boolean b -> b.toString();
            case List<?> list -> "[" + String.join(" ", list.stream().map(v -> v == null ? "" : text(v)).toList()) + "]";
            case Object[] array -> text(Arrays.asList(array));
            default -> Json.write(value);
        };
    }

    private static List<String> scopes(Map<String, Object> claims) {
        for (String name : List.of("scope", "scp")) {
            Object value = claims.get(name);
            if (value instanceof String s && !s.isBlank()) {
                return List.of(s.strip().split("\\s+"));
            }
            if (value instanceof List<?> list && !list.isEmpty()) {
                List<String> scopes = new ArrayList<>();
                list.forEach(v -> scopes.add(text(v)));
                return scopes;
            }
        }
        return null;
    }
}
