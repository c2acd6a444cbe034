package io.jobpipeline.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CloudFormation short-form tags read into the long form, and resolved at load time or through the resolver. */
class TemplateIntrinsicsTest {
    private static final String TEMPLATE = """
            Parameters:
              Stage: { Type: String, Default: dev, AllowedValues: [dev, prod] }
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
              NotProd: !Not [!Condition IsProd]
            Mappings:
              Sizes: { dev: { delay: 5 }, prod: { delay: 0 } }
            Resources:
              Work:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Join ["-", [!Ref "AWS::StackName", !Select [1, !Split [",", "a,work,c"]]]]
                  VisibilityTimeout: !If [IsProd, 60, 45]
                  DelaySeconds: !FindInMap [Sizes, !Ref Stage, delay]
              ProdOnly:
                Type: AWS::SQS::Queue
                Condition: IsProd
              Bus:
                Type: AWS::Events::EventBus
                Properties:
                  Name: !Sub ["${Prefix}-bus", { Prefix: !Ref Stage }]
              Elsewhere:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !ImportValue shared-topic
                  Zones: !GetAZs ""
                  Custom: !Whatever { a: 1 }
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: example.Handler
                  Environment:
                    Variables:
                      SUBSTITUTED: !Sub "${Work.Arn}|${AWS::Region}|${!Literal}|${Stage}"
                      NAME: !GetAtt [Work, QueueName]
                      ENCODED: !Base64 hi
                      ONLY_PROD: !If [IsProd, x, !Ref AWS::NoValue]
                      NOT_PROD: !If [NotProd, yes-dev, no]
                      POLICY_VERSION: 2012-10-17
            """;

    @TempDir
    Path dir;

    @Test
    void shortFormTagsBecomeTheLongForm() throws Exception {
        Map<String, Object> tree = StackTemplate.readAsJsonTree(write(TEMPLATE));
        Map<String, Object> conditions = TemplateSchemaTest.section(tree, "Conditions");
        assertThat(conditions.get("IsProd")).isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "Stage"), "prod")));
        assertThat(conditions.get("NotProd")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Condition", "IsProd"))));
        Map<String, Object> work = TemplateSchemaTest.section(tree, "Resources", "Work", "Properties");
        assertThat(work.get("QueueName")).isEqualTo(Map.of("Fn::Join", List.of("-", List.of(
                Map.of("Ref", "AWS::StackName"),
                Map.of("Fn::Select", List.of(1, Map.of("Fn::Split", List.of(",", "a,work,c"))))))));
        Map<String, Object> elsewhere = TemplateSchemaTest.section(tree, "Resources", "Elsewhere", "Properties");
        assertThat(elsewhere).containsEntry("TopicName", Map.of("Fn::ImportValue", "shared-topic"))
                .containsEntry("Zones", Map.of("Fn::GetAZs", ""))
                .containsEntry("Custom", Map.of("Fn::Whatever", Map.of("a", 1)));
        Map<String, Object> env = TemplateSchemaTest.section(tree, "Resources", "Fn", "Properties", "Environment",
                "Variables");
        assertThat(env).containsEntry("NAME", Map.of("Fn::GetAtt", List.of("Work", "QueueName")))
                .containsEntry("ENCODED", Map.of("Fn::Base64", "hi"))
                .containsEntry("POLICY_VERSION", "2012-10-17");
    }

    @Test
    void resolvesParametersConditionsAndMappingsAtLoadTime() throws Exception {
        StackTemplate dev = StackTemplate.load(write(TEMPLATE), Map.of("AWS::StackName", "s1"));
        assertThat(dev.queues().keySet()).containsExactly("Work");
        QueueSpec work = dev.queues().get("Work");
        assertThat(work.queueName()).isEqualTo("s1-work");
        assertThat(work.visibilityTimeoutSeconds()).isEqualTo(45);
        assertThat(work.delaySeconds()).isEqualTo(5);
        assertThat(dev.buses().get("Bus").name()).isEqualTo("dev-bus");
        assertThat(dev.functions().get("Fn").timeoutSeconds()).isEqualTo(3);
        assertThat(dev.functions().get("Fn").memoryMb()).isEqualTo(128);

        StackTemplate prod = StackTemplate.load(dev.source(), Map.of("Stage", "prod"));
        assertThat(prod.queues().keySet()).containsExactly("Work", "ProdOnly");
        assertThat(prod.queues().get("Work").visibilityTimeoutSeconds()).isEqualTo(60);
        assertThat(prod.queues().get("Work").queueName()).isEqualTo("job-pipeline-work");
    }

    @Test
    void resolvesTheEnvironmentThroughTheResolver() throws Exception {
        StackTemplate t = StackTemplate.load(write(TEMPLATE));
        ReferenceResolver resolver = new ReferenceResolver() {
            @Override
            public String ref(String logicalId) {
                return null;
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                return logicalId.equals("Work") ? "arn:aws:sqs:eu-west-1:1:" + attribute : null;
            }

            @Override
            public String pseudo(String name) {
                return name.equals("AWS::Region") ? "eu-west-1" : null;
            }
        };
        assertThat(t.environmentOf(t.functions().get("Fn"), resolver)).containsExactly(
                Map.entry("SUBSTITUTED", "arn:aws:sqs:eu-west-1:1:Arn|eu-west-1|${Literal}|dev"),
                Map.entry("NAME", "arn:aws:sqs:eu-west-1:1:QueueName"),
                Map.entry("ENCODED", "aGk="),
                Map.entry("NOT_PROD", "yes-dev"),
                Map.entry("POLICY_VERSION", "2012-10-17"));
    }

    @Test
    void anUnresolvableReferenceNamesFunctionAndVariable() throws Exception {
        StackTemplate t = StackTemplate.load(write(TEMPLATE.replace("${Stage}\"", "${Missing}\"")));
        ReferenceResolver nothing = new ReferenceResolver() {
            @Override
            public String ref(String logicalId) {
                return null;
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                return "x";
            }

            @Override
            public String pseudo(String name) {
                return "x";
            }
        };
        assertThatThrownBy(() -> t.environmentOf(t.functions().get("Fn"), nothing))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("template.yaml: resource Fn, property Environment.Variables.SUBSTITUTED: ")
                .hasMessageContaining("no parameter or resource is named 'Missing'");
    }

    @Test
    void aConditionOnAnUnknownNameIsAnError() throws Exception {
        Path file = write(TEMPLATE.replace("Condition: IsProd", "Condition: IsStaging"));
        assertThatThrownBy(() -> StackTemplate.load(file)).isInstanceOf(TemplateException.class)
                .hasMessage("template.yaml: resource ProdOnly, property Condition: condition 'IsStaging' is not "
                        + "declared in Conditions");
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, text);
        return file;
    }
}
