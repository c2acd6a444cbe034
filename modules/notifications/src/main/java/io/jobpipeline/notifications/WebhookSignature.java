package io.jobpipeline.notifications;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures after the Standard Webhooks specification (https://www.standardwebhooks.com): headers
 * {@code webhook-id} (the eventId), {@code webhook-timestamp} (epoch seconds) and {@code webhook-signature} =
 * {@code v1,} + base64(HMAC-SHA256(secret, id + "." + timestamp + "." + body)).
 *
 * <p>Each producer has its own secret, derived from the stack's master secret so none has to be stored per producer:
 * {@code secret = HMAC-SHA256(masterSecret, producer)}, shown to the producer in the Standard Webhooks form
 * {@code whsec_<base64 of the 32 bytes>}. Any Standard Webhooks library verifies with that string.
 */
public final class WebhookSignature {
    static final String HMAC = "HmacSHA256";
    static final String SECRET_PREFIX = "whsec_";

    private WebhookSignature() {}

    /** The producer's signing key: HMAC-SHA256 keyed with the master secret's UTF-8 bytes, over the producer's name. */
    public static byte[] producerKey(String masterSecret, String producer) {
        return hmac(masterSecret.getBytes(StandardCharsets.UTF_8), producer.getBytes(StandardCharsets.UTF_8));
    }

    /** The producer's secret as Standard Webhooks libraries take it: {@code whsec_} + base64 of the key. */
    public static String producerSecret(String masterSecret, String producer) {
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(producerKey(masterSecret, producer));
    }

    /** The {@code webhook-signature} header value, {@code v1,<base64>}. */
    public static String sign(byte[] key, String id, long timestamp, String body) {
        byte[] mac = hmac(key, (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac);
    }

    /**
     * What a receiver does: true if one of the space-separated signatures of the header is a valid {@code v1} one for
     * this id, timestamp and body (compared in constant time). Receivers should also refuse timestamps more than a few
     * minutes from their clock (replay protection) and drop ids they have seen (the same event may come twice).
     */
    public static boolean verify(String secret, String id, String timestamp, String body, String signatureHeader) {
        if (secret == null || id == null || timestamp == null || body == null || signatureHeader == null) {
            return false;
        }
        byte[] key = Base64.getDecoder().decode(secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret);
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected = sign(key, id, seconds, body).getBytes(StandardCharsets.UTF_8);
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
