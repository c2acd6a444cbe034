package io.jobpipeline.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EcmaScriptAnchorsTest {
    @Test
    void dollarMeansEndOfInputAsInEcmaScript() {
        var idPattern = EcmaScriptAnchors.INSTANCE.getRegularExpression("^[A-Za-z0-9-]{1,64}$");
        assertThat(idPattern.matches("VAN-042")).isTrue();
        for (String trailing : new String[] {"\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029"}) {
            assertThat(idPattern.matches("VAN-042" + trailing)).as("trailing %s", trailing.codePointAt(0)).isFalse();
        }
    }

    @Test
    void escapedAndClassDollarsStayLiteral() {
        assertThat(EcmaScriptAnchors.toJava("^a\\$[$]b$")).isEqualTo("^a\\$[$]b\\z");
        assertThat(EcmaScriptAnchors.INSTANCE.getRegularExpression("^\\$[0-9]+$").matches("$42")).isTrue();
    }
}
