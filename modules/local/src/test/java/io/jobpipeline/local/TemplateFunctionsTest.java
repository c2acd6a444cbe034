package io.jobpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.local.lambda.LocalFunction;
import io.jobpipeline.local.template.FunctionSpec;
import io.jobpipeline.local.template.ReferenceResolver;
import io.jobpipeline.local.template.StackTemplate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every handler the template names exists, and starts with exactly the environment the template gives it plus what
 * Lambda itself sets: a variable a handler reads but the template does not set fails its init phase here.
 */
class TemplateFunctionsTest {
    /** What the Lambda service puts in every function's environment. */
    private static final Map<String, String> LAMBDA_ENVIRONMENT = Map.of(
            "AWS_REGION", "eu-central-1", "AWS_DEFAULT_REGION", "eu-central-1",
            "AWS_LAMBDA_FUNCTION_NAME", "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024",
            "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "token");

    private static final ReferenceResolver PLACEHOLDERS = new ReferenceResolver() {
        @Override
        public String ref(String logicalId) {
            return "ref-" + logicalId;
        }

        @Override
        public String getAtt(String logicalId, String attribute) {
            return "arn:aws:placeholder:" + logicalId + ":" + attribute;
        }

        @Override
        public String pseudo(String name) {
            return "pseudo-" + name;
        }
    };

    @Test
    void everyHandlerStartsWithTheTemplatesEnvironment() throws Exception {
        StackTemplate template = StackTemplate.load(SharedLocalStack.TEMPLATE);
        assertThat(template.functions()).hasSizeGreaterThanOrEqualTo(4);
        for (FunctionSpec f : template.functions().values()) {
            Map<String, String> env = new HashMap<>(template.environmentOf(f, PLACEHOLDERS));
            env.putAll(LAMBDA_ENVIRONMENT);
            assertThat(LocalFunction.load(f, "arn:aws:lambda:eu-central-1:123456789012:function:" + f.logicalId(), env))
                    .as(f.logicalId()).isNotNull();
        }
    }

    @Test
    void everyCodeUriIsTheShadedJarOfAModuleThatHoldsItsHandler() throws Exception {
        java.util.regex.Matcher codeUris = java.util.regex.Pattern.compile("CodeUri: (\\S+)")
                .matcher(java.nio.file.Files.readString(SharedLocalStack.TEMPLATE));
        int count = 0;
        while (codeUris.find()) {
            count++;
            java.util.regex.Matcher jar = java.util.regex.Pattern.compile("modules/([a-z-]+)/target/([a-z-]+)-lambda\\.jar")
                    .matcher(codeUris.group(1));
            assertThat(jar.matches()).as(codeUris.group(1)).isTrue();
            assertThat(jar.group(2)).isEqualTo(jar.group(1));
            java.nio.file.Path module = java.nio.file.Path.of("../..", "modules", jar.group(1));
            assertThat(java.nio.file.Files.readString(module.resolve("pom.xml"))).contains("maven-shade-plugin");
        }
        assertThat(count).isEqualTo(StackTemplate.load(SharedLocalStack.TEMPLATE).functions().size());
    }

    @Test
    void aVariableTheTemplateDoesNotSetFailsTheInitPhase() throws Exception {
        StackTemplate template = StackTemplate.load(SharedLocalStack.TEMPLATE);
        FunctionSpec intake = template.functions().get("IntakeFunction");
        Map<String, String> env = new HashMap<>(template.environmentOf(intake, PLACEHOLDERS));
        env.putAll(LAMBDA_ENVIRONMENT);
        env.remove("JOBS_QUEUE_URL");
        assertThatThrownBy(() -> LocalFunction.load(intake, "arn", env))
                .hasMessageContaining("IntakeFunction").hasMessageContaining("JOBS_QUEUE_URL is not set");
    }
}
