package io.jobpipeline.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.event.ruler.GenericMachine;

class TemplateReaderTest {
    private static final Path TEMPLATE = TemplateSchemaTest.TEMPLATE;
    private static final ReferenceResolver RESOLVER = new ReferenceResolver() {
        @Override
        public String ref(String logicalId) {
            return "ref:" + logicalId;
        }

        @Override
        public String getAtt(String logicalId, String attribute) {
            return "att:" + logicalId + "." + attribute;
        }

        @Override
        public String pseudo(String name) {
            return "pseudo:" + name;
        }
    };

    @TempDir
    Path dir;

    @Test
    void readsQueuesTableAndBusOfTheRealTemplate() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE);
        assertThat(t.parameters()).containsExactly(Map.entry("MaxReceiveCount", "3"),
                Map.entry("JwtIssuer", "https://auth.jobpipeline.local"), Map.entry("JwtAudience", "jobs-api"),
                Map.entry("AlarmTopicArn", ""), Map.entry("OldestJobAgeAlarmSeconds", "600"),
                Map.entry("AWS::StackName", "job-pipeline"));
        assertThat(t.queues().keySet()).containsExactly("JobsQueue", "JobsDeadLetterQueue",
                "NotificationsDeadLetterQueue", "AnalyticsDeadLetterQueue");
        assertThat(t.queues().get("JobsQueue")).isEqualTo(new QueueSpec("JobsQueue", "JobsQueue", false, false, 180,
                345_600, 0, Optional.of(new Redrive("JobsDeadLetterQueue", 3))));
        assertThat(t.queues().get("JobsDeadLetterQueue").redrive()).isEmpty();
        KeyAttribute pk = new KeyAttribute("PK", "S");
        KeyAttribute sk = new KeyAttribute("SK", "S");
        IndexSpec byProducer = new IndexSpec("ByProducer", new KeyAttribute("GSI1PK", "S"),
                Optional.of(new KeyAttribute("GSI1SK", "S")), "ALL");
        assertThat(t.tables()).containsExactly(Map.entry("JobsTable", new TableSpec("JobsTable", "JobsTable", pk,
                Optional.of(sk), List.of(byProducer), Optional.of("expiresAt"))));
        assertThat(t.buses()).containsExactly(Map.entry("JobsEventBus",
                new EventBusSpec("JobsEventBus", "job-pipeline-jobs")));
    }

    @Test
    void readsFunctionsRoutesAndSourcesOfTheRealTemplate() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE);
        assertThat(t.functions().keySet()).containsExactly("IntakeFunction", "WorkerFunction",
                "NotificationFunction", "AnalyticsFunction");
        FunctionSpec intake = t.functions().get("IntakeFunction");
        assertThat(intake.handlerClass()).isEqualTo("io.jobpipeline.intake.IntakeHandler");
        assertThat(intake.handlerMethod()).isEqualTo("handleRequest");
        assertThat(intake.timeoutSeconds()).isEqualTo(30);
        assertThat(intake.memoryMb()).isEqualTo(1024);
        assertThat(intake.httpRoutes()).containsExactly(new HttpRoute("POST", "/jobs"),
                new HttpRoute("POST", "/jobs/batch"), new HttpRoute("GET", "/jobs"), new HttpRoute("GET", "/jobs/{id}"),
                new HttpRoute("GET", "/stats"));
        assertThat(t.functions().get("WorkerFunction").sqsSources()).containsExactly(
                new SqsEventSource("JobsQueueEvent", "JobsQueue", 10, 1, true, 2, true));
        assertThat(t.functions().get("WorkerFunction").handlerClass()).isEqualTo("io.jobpipeline.worker.WorkerHandler");
    }

    @Test
    void readsTheJwtAuthorizerOfTheApiAndTheRoutesItGuards() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE);
        List<HttpRoute> intakeRoutes = t.functions().get("IntakeFunction").httpRoutes();
        JwtAuthorizerSpec producerJwt = new JwtAuthorizerSpec("JobsApi", "ProducerJwt", "$request.header.Authorization",
                "https://auth.jobpipeline.local", List.of("jobs-api"), intakeRoutes);
        assertThat(t.authorizers()).containsExactly(producerJwt);
        assertThat(producerJwt.headerName()).isEqualTo("Authorization");
        assertThat(producerJwt.queryParameterName()).isNull();
        intakeRoutes.forEach(route -> assertThat(t.authorizerOf(route)).contains(producerJwt));
        assertThat(t.authorizerOf(new HttpRoute("GET", "/health"))).isEmpty();
    }

    @Test
    void issuerAndAudienceFollowTheParameters() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE, Map.of("JwtIssuer", "https://cognito-idp.eu-west-1.amazonaws.com/pool",
                "JwtAudience", "app-client"));
        assertThat(t.authorizers().get(0).issuer()).isEqualTo("https://cognito-idp.eu-west-1.amazonaws.com/pool");
        assertThat(t.authorizers().get(0).audience()).containsExactly("app-client");
    }

    @Test
    void aRouteWithAuthorizerNoneIsOpen() throws Exception {
        StackTemplate t = StackTemplate.load(copy("Properties: { ApiId: !Ref JobsApi, Method: GET, Path: /stats }",
                "Properties: { ApiId: !Ref JobsApi, Method: GET, Path: /stats, Auth: { Authorizer: NONE } }"));
        assertThat(t.authorizerOf(new HttpRoute("GET", "/stats"))).isEmpty();
        assertThat(t.authorizerOf(new HttpRoute("POST", "/jobs"))).isPresent();
        assertThat(t.authorizers().get(0).routes()).hasSize(4).doesNotContain(new HttpRoute("GET", "/stats"));
    }

    @Test
    void withoutDefaultAuthorizerOnlyRoutesNamingOneAreGuarded() throws Exception {
        StackTemplate t = StackTemplate.load(copy("        DefaultAuthorizer: ProducerJwt\n", "",
                "Properties: { ApiId: !Ref JobsApi, Method: POST, Path: /jobs }",
                "Properties: { ApiId: !Ref JobsApi, Method: POST, Path: /jobs, Auth: { Authorizer: ProducerJwt } }"));
        assertThat(t.authorizers()).singleElement().satisfies(a ->
                assertThat(a.routes()).containsExactly(new HttpRoute("POST", "/jobs")));
    }

    @Test
    void anApiWithoutAuthGuardsNothing() throws Exception {
        String text = Files.readString(TEMPLATE);
        int start = text.indexOf("      Auth:\n        DefaultAuthorizer");
        int end = text.indexOf("\n\n", start);
        assertThat(start).isPositive();
        Path copy = dir.resolve("template.yaml");
        Files.writeString(copy, text.substring(0, start) + text.substring(end + 1));
        StackTemplate t = StackTemplate.load(copy);
        assertThat(t.authorizers()).isEmpty();
        assertThat(t.authorizerOf(new HttpRoute("POST", "/jobs"))).isEmpty();
    }

    @Test
    void readsTheRulesInTemplateOrder() throws Exception {
        List<RuleSpec> rules = StackTemplate.load(TEMPLATE).rules();
        assertThat(rules).extracting(RuleSpec::name)
                .containsExactly("NotificationFunctionJobOutcomes", "AnalyticsFunctionAllJobEvents");
        RuleSpec notifications = rules.get(0);
        assertThat(notifications).isEqualTo(new RuleSpec("NotificationFunctionJobOutcomes", "JobsEventBus",
                "{\"source\":[\"jobs.pipeline\"],\"$or\":[{\"detail-type\":[\"JobCompleted\"],\"detail\":{\"callbackUrl\":"
                        + "[{\"exists\":true}]}},{\"detail-type\":[\"JobFailed\",\"JobDeadLettered\"]}]}",
                "NotificationFunction", 3, 3600, Optional.of("NotificationsDeadLetterQueue")));
        assertThat(rules.get(1).maximumRetryAttempts()).isEqualTo(5);
        assertThat(rules.get(1).deadLetterQueueLogicalId()).contains("AnalyticsDeadLetterQueue");
    }

    @Test
    void rulePatternsRouteEventsAsTheLeadNeeds() throws Exception {
        GenericMachine<String> machine = GenericMachine.<String>builder().build();
        for (RuleSpec rule : StackTemplate.load(TEMPLATE).rules()) {
            machine.addRule(rule.name(), rule.patternJson());
        }
        // Notifications get completions with a callback URL and every failure; analytics gets every job event.
        assertThat(machine.rulesForJSONEvent(event("JobCompleted", "{\"jobId\":\"j1\",\"callbackUrl\":\"https://x.example/h\"}")))
                .containsExactlyInAnyOrder("NotificationFunctionJobOutcomes", "AnalyticsFunctionAllJobEvents");
        assertThat(machine.rulesForJSONEvent(event("JobCompleted", "{\"jobId\":\"j1\"}")))
                .containsExactly("AnalyticsFunctionAllJobEvents");
        assertThat(machine.rulesForJSONEvent(event("JobFailed", "{\"jobId\":\"j1\"}")))
                .containsExactlyInAnyOrder("NotificationFunctionJobOutcomes", "AnalyticsFunctionAllJobEvents");
        assertThat(machine.rulesForJSONEvent(event("JobDeadLettered", "{\"jobId\":\"j1\"}")))
                .containsExactlyInAnyOrder("NotificationFunctionJobOutcomes", "AnalyticsFunctionAllJobEvents");
        assertThat(machine.rulesForJSONEvent(event("JobAccepted", "{\"jobId\":\"j1\",\"callbackUrl\":\"https://x.example/h\"}")))
                .containsExactly("AnalyticsFunctionAllJobEvents");
        assertThat(machine.rulesForJSONEvent(event("JobStarted", "{}")))
                .containsExactly("AnalyticsFunctionAllJobEvents");
    }

    @Test
    void resolvesEachFunctionsEnvironment() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE);
        assertThat(t.environmentOf(t.functions().get("WorkerFunction"), RESOLVER)).containsExactly(
                Map.entry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"),
                Map.entry("JOBS_TABLE", "ref:JobsTable"),
                Map.entry("EVENT_BUS_NAME", "ref:JobsEventBus"),
                Map.entry("MAX_RECEIVE_COUNT", "3"),
                Map.entry("JOBS_QUEUE_URL", "ref:JobsQueue"),
                Map.entry("RETRY_VISIBILITY_BASE_SECONDS", "2"),
                Map.entry("RETRY_VISIBILITY_CAP_SECONDS", "300"));
        assertThat(t.environmentOf(t.functions().get("AnalyticsFunction"), RESOLVER))
                .containsOnlyKeys("JAVA_TOOL_OPTIONS", "JOBS_TABLE");
    }

    @Test
    void overridesReachNamesCountsAndEnvironment() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE, Map.of("MaxReceiveCount", "5", "AWS::StackName", "dev"));
        assertThat(t.queues().get("JobsQueue").redrive()).contains(new Redrive("JobsDeadLetterQueue", 5));
        assertThat(t.buses().get("JobsEventBus").name()).isEqualTo("dev-jobs");
        assertThat(t.environmentOf(t.functions().get("WorkerFunction"), RESOLVER))
                .containsEntry("MAX_RECEIVE_COUNT", "5");
    }

    @Test
    void readsChangedValuesFromACopy() throws Exception {
        Path copy = copy("VisibilityTimeout: 180", "VisibilityTimeout: 240",
                "BatchSize: 10", "BatchSize: 100",
                "- detail-type: [JobFailed, JobDeadLettered]", "- detail-type: [JobFailed]",
                "MaximumConcurrency: 2", "MaximumConcurrency: 7");
        StackTemplate t = StackTemplate.load(copy);
        assertThat(t.source()).isEqualTo(copy);
        assertThat(t.queues().get("JobsQueue").visibilityTimeoutSeconds()).isEqualTo(240);
        SqsEventSource source = t.functions().get("WorkerFunction").sqsSources().get(0);
        assertThat(source.batchSize()).isEqualTo(100);
        assertThat(source.maximumConcurrency()).isEqualTo(7);
        assertThat(t.rules().get(0).patternJson()).endsWith(",{\"detail-type\":[\"JobFailed\"]}]}");
    }

    @Test
    void acceptsAnOrPatternAsEventBridgeDoes() throws Exception {
        StackTemplate t = StackTemplate.load(copy("$or:\n                - detail-type: [JobCompleted]",
                "$or:\n                - detail-type: [JobAccepted, JobCompleted]"));
        assertThat(t.rules().get(0).patternJson()).contains("\"$or\":[{\"detail-type\":[\"JobAccepted\",\"JobCompleted\"]");
    }

    @Test
    void readsTheBusArchive() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE);
        assertThat(t.archives()).containsExactly(new ArchiveSpec("JobsEventArchive", "JobsEventBus", 14, Optional.empty()));
        StackTemplate filtered = StackTemplate.load(copy("      RetentionDays: 14\n",
                "      RetentionDays: 3\n      EventPattern:\n        detail-type: [JobFailed]\n"));
        assertThat(filtered.archives()).containsExactly(new ArchiveSpec("JobsEventArchive", "JobsEventBus", 3,
                Optional.of("{\"detail-type\":[\"JobFailed\"]}")));
    }

    @Test
    void anArchiveOfSomethingElseThanABusNamesResourceAndProperty() throws Exception {
        StackTemplate t = StackTemplate.load(copy("SourceArn: !GetAtt JobsEventBus.Arn", "SourceArn: !GetAtt JobsQueue.Arn"));
        assertThatThrownBy(t::archives).isInstanceOf(TemplateException.class)
                .hasMessageContaining("resource JobsEventArchive, property SourceArn: JobsQueue is an AWS::SQS::Queue");
    }

    @Test
    void aSecretParameterWithoutDefaultHasNoValueUntilGivenOne() throws Exception {
        StackTemplate t = StackTemplate.load(TEMPLATE);
        assertThat(t.parameters()).doesNotContainKey("WebhookSigningSecret");
        ReferenceResolver strict = new ReferenceResolver() { // as the running stack: parameters are not resources
            @Override
            public String ref(String logicalId) {
                return logicalId.equals("WebhookSigningSecret") ? null : RESOLVER.ref(logicalId);
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                return RESOLVER.getAtt(logicalId, attribute);
            }

            @Override
            public String pseudo(String name) {
                return RESOLVER.pseudo(name);
            }
        };
        assertThatThrownBy(() -> t.environmentOf(t.functions().get("NotificationFunction"), strict))
                .hasMessageContaining("parameter 'WebhookSigningSecret' is NoEcho without a Default");
        StackTemplate given = StackTemplate.load(TEMPLATE, Map.of("WebhookSigningSecret", "s".repeat(32)));
        assertThat(given.environmentOf(given.functions().get("NotificationFunction"), RESOLVER))
                .containsEntry("WEBHOOK_SIGNING_SECRET", "s".repeat(32));
    }

    @Test
    void environmentOfRefusesAFunctionThatChangedSinceLoading() throws Exception {
        Path copy = copy("MemorySize: 1024", "MemorySize: 1024");
        StackTemplate t = StackTemplate.load(copy);
        Files.writeString(copy, Files.readString(copy).replace("MemorySize: 1024", "MemorySize: 512"));
        assertThatThrownBy(() -> t.environmentOf(t.functions().get("WorkerFunction"), RESOLVER))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("resource WorkerFunction").hasMessageContaining("load the template again");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("resource JobsQueue, property VisibilityTimeout: expected a whole number of seconds, got 'abc'",
                        "VisibilityTimeout: 180", "VisibilityTimeout: abc"),
                bad("resource WorkerFunction, property Events.JobsQueueEvent.Properties.Queue: no resource MissingQueue",
                        "Queue: !GetAtt JobsQueue.Arn", "Queue: !GetAtt MissingQueue.Arn"),
                bad("resource WorkerFunction, property Events.JobsQueueEvent.Properties.Queue: expected !GetAtt",
                        "Queue: !GetAtt JobsQueue.Arn", "Queue: !Ref JobsQueue"),
                bad("resource JobsQueue, property RedrivePolicy.deadLetterTargetArn: JobsTable is an "
                        + "AWS::DynamoDB::Table, not an AWS::SQS::Queue",
                        "deadLetterTargetArn: !GetAtt JobsDeadLetterQueue.Arn", "deadLetterTargetArn: !GetAtt JobsTable.Arn"),
                bad("resource AnalyticsFunction, property Events.AllJobEvents.Properties.DeadLetterConfig.Arn: "
                        + "JobsEventBus is an AWS::Events::EventBus",
                        "DeadLetterConfig:\n              Arn: !GetAtt AnalyticsDeadLetterQueue.Arn",
                        "DeadLetterConfig:\n              Arn: !GetAtt JobsEventBus.Arn"),
                bad("resource WorkerFunction, property Events.JobsQueueEvent.Properties.BatchSize: must be from 1 "
                        + "to 10000, got 20000", "BatchSize: 10", "BatchSize: 20000"),
                bad("resource WorkerFunction, property Events.JobsQueueEvent.Properties.BatchSize: above 10 needs "
                        + "MaximumBatchingWindowInSeconds", "BatchSize: 10", "BatchSize: 50",
                        "MaximumBatchingWindowInSeconds: 1", "MaximumBatchingWindowInSeconds: 0"),
                bad("resource NotificationFunction, property Events.JobOutcomes.Properties.Pattern: Event Ruler "
                        + "rejects", "source: [\"jobs.pipeline\"]", "source: [{ prefx: \"jobs.\" }]"),
                bad("resource AnalyticsFunction, property Events.AllJobEvents.Properties.Pattern: Event Ruler rejects",
                        "source: [jobs.pipeline]", "source: jobs.pipeline"),
                bad("resource WorkerFunction, property Handler: expected <class>::<method>",
                        "Handler: io.jobpipeline.worker.WorkerHandler::handleRequest", "Handler: ::handleRequest"),
                bad("resource JobsTable, property KeySchema[0].AttributeName: 'PK' has no entry in AttributeDefinitions",
                        "        - { AttributeName: PK, AttributeType: S }\n", ""),
                bad("resource JobsTable, property KeySchema: no HASH (partition) key",
                        "        - { AttributeName: PK, KeyType: HASH }\n", ""),
                bad("resource NotificationFunction, property Events.JobOutcomes.Properties.EventBusName: "
                        + "JobsQueue is an AWS::SQS::Queue, not an AWS::Events::EventBus",
                        "EventBusName: !Ref JobsEventBus\n            # Completions",
                        "EventBusName: !Ref JobsQueue\n            # Completions"),
                bad("resource JobsEventBus, property Name: expected text, got {\"Fn::Sub\"",
                        "Name: !Sub \"${AWS::StackName}-jobs\"", "Name: !Sub \"${AWS::Region}-jobs\""),
                bad("parameter MaxReceiveCount, property Default: must be from 1 to 1000, got 0",
                        "Default: 3", "Default: 0"),
                bad("resource JobsApi, property Auth.DefaultAuthorizer: no authorizer named 'Producer' in Auth.Authorizers",
                        "DefaultAuthorizer: ProducerJwt", "DefaultAuthorizer: Producer"),
                bad("resource JobsApi, property Auth.Authorizers.ProducerJwt.JwtConfiguration.audience: missing: a JWT "
                        + "authorizer needs at least one audience", "audience: [!Ref JwtAudience]", "audience: []"),
                bad("resource JobsApi, property Auth.Authorizers.ProducerJwt.JwtConfiguration.issuer: missing",
                        "issuer: !Ref JwtIssuer", "isuer: !Ref JwtIssuer"),
                bad("resource JobsApi, property Auth.Authorizers.ProducerJwt.IdentitySource: expected "
                        + "$request.header.<Name> or $request.querystring.<name>, got '$context.identity'",
                        "IdentitySource: \"$request.header.Authorization\"", "IdentitySource: \"$context.identity\""),
                bad("resource JobsApi, property Auth.Authorizers.ProducerJwt.FunctionArn: Lambda authorizers are not "
                        + "supported by the local stack", "IdentitySource: \"$request.header.Authorization\"",
                        "FunctionArn: !GetAtt WorkerFunction.Arn"),
                bad("resource IntakeFunction, property Events.GetStats.Properties.Auth.Authorizer: the API JobsApi has no "
                        + "authorizer named 'Admins'", "Properties: { ApiId: !Ref JobsApi, Method: GET, Path: /stats }",
                        "Properties: { ApiId: !Ref JobsApi, Method: GET, Path: /stats, Auth: { Authorizer: Admins } }"),
                bad("resource IntakeFunction, property Events.GetStats.Properties.Auth.AuthorizationScopes: not supported",
                        "Properties: { ApiId: !Ref JobsApi, Method: GET, Path: /stats }",
                        "Properties: { ApiId: !Ref JobsApi, Method: GET, Path: /stats, Auth: { AuthorizationScopes: [a] } }"),
                bad("resource IntakeFunction, property Events.GetStats.Properties.ApiId: JobsQueue is an AWS::SQS::Queue, "
                        + "not an AWS::Serverless::HttpApi", "Properties: { ApiId: !Ref JobsApi, Method: GET, Path: /stats }",
                        "Properties: { ApiId: !Ref JobsQueue, Method: GET, Path: /stats }"),
                bad("not a valid template", "Resources:", "Resources: ["));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedTemplatesNameResourceAndProperty(String expected, String[] replacements) throws Exception {
        Path copy = copy(replacements);
        assertThatThrownBy(() -> StackTemplate.load(copy)).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("template.yaml: ").hasMessageContaining(expected);
    }

    @Test
    void badOverridesNameTheParameter() {
        assertThatThrownBy(() -> StackTemplate.load(TEMPLATE, Map.of("MaxReceiveCount", "abc")))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template.yaml: parameter MaxReceiveCount, property (override): expected a number, got 'abc'");
        assertThatThrownBy(() -> StackTemplate.load(TEMPLATE, Map.of("MaxRecieveCount", "5")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("parameter MaxRecieveCount");
    }

    private static Arguments bad(String expected, String... replacements) {
        return Arguments.of(expected, replacements);
    }

    /** template.yaml copied with each (from, to) pair replaced; each "from" must occur in it exactly once. */
    private Path copy(String... replacements) throws Exception {
        String text = Files.readString(TEMPLATE);
        for (int i = 0; i < replacements.length; i += 2) {
            String from = replacements[i];
            assertThat(text.split(Pattern.quote(from), -1)).as("occurrences of %s", from).hasSize(2);
            text = text.replace(from, replacements[i + 1]);
        }
        Path copy = dir.resolve("template.yaml");
        Files.writeString(copy, text);
        return copy;
    }

    private static String event(String detailType, String detail) {
        return "{\"source\":\"jobs.pipeline\",\"detail-type\":\"" + detailType + "\",\"detail\":" + detail + "}";
    }
}
