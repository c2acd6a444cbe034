package io.jobpipeline.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    /** The test vector of the Standard Webhooks reference libraries. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsAsTheStandardWebhooksSpecification() {
        byte[] key = Base64.getDecoder().decode(SPEC_SECRET.substring("whsec_".length()));
        assertThat(WebhookSignature.sign(key, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
        assertThat(WebhookSignature.verify(SPEC_SECRET, SPEC_ID, Long.toString(SPEC_TIMESTAMP), SPEC_BODY, SPEC_SIGNATURE)).isTrue();
    }

    @Test
    void verifyRefusesAnyChangeAndAcceptsOneGoodSignatureAmongSeveral() {
        String t = Long.toString(SPEC_TIMESTAMP);
        assertThat(WebhookSignature.verify(SPEC_SECRET, SPEC_ID, t, SPEC_BODY + " ", SPEC_SIGNATURE)).isFalse();
        assertThat(WebhookSignature.verify(SPEC_SECRET, "msg_other", t, SPEC_BODY, SPEC_SIGNATURE)).isFalse();
        assertThat(WebhookSignature.verify(SPEC_SECRET, SPEC_ID, "1614265331", SPEC_BODY, SPEC_SIGNATURE)).isFalse();
        assertThat(WebhookSignature.verify(SPEC_SECRET, SPEC_ID, "soon", SPEC_BODY, SPEC_SIGNATURE)).isFalse();
        assertThat(WebhookSignature.verify(SPEC_SECRET, SPEC_ID, t, SPEC_BODY, null)).isFalse();
        // Key rotation sends several, space-separated.
        assertThat(WebhookSignature.verify(SPEC_SECRET, SPEC_ID, t, SPEC_BODY, "v1,AAAA " + SPEC_SIGNATURE)).isTrue();
    }

    @Test
    void aProducersSecretIsTheHmacOfItsNameUnderTheMasterSecret() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("master-secret-of-at-least-32-chars!".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal("fleet-app".getBytes(StandardCharsets.UTF_8));

        assertThat(WebhookSignature.producerKey("master-secret-of-at-least-32-chars!", "fleet-app")).isEqualTo(expected);
        assertThat(WebhookSignature.producerSecret("master-secret-of-at-least-32-chars!", "fleet-app"))
                .isEqualTo("whsec_" + Base64.getEncoder().encodeToString(expected));
        assertThat(WebhookSignature.producerKey("master-secret-of-at-least-32-chars!", "other-app")).isNotEqualTo(expected);
    }
}
