package io.jobpipeline.local.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.aws.DynamoDbConsumerLedger;
import io.jobpipeline.aws.DynamoDbJobStore;
import io.jobpipeline.core.Json;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobStatus;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.template.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each slimmed deployment jar works on its own: a fresh JVM with only the jar (and the launcher playing the Lambda
 * runtime) on its class path builds the handler, answers a real event of the function's source against the local
 * stack, and has its effect; and each jar carries only the SDK service clients its function calls.
 */
class DeploymentJarsTest {
    static final Path ROOT = Path.of("../..");
    private static final Pattern CODE_URI = Pattern.compile("CodeUri: (\\S+)");
    /** The service clients each function calls: nothing else of the SDK's services belongs in its jar. */
    private static final Map<String, Set<String>> SERVICES = Map.of(
            "IntakeFunction", Set.of("dynamodb", "sqs"),
            "WorkerFunction", Set.of("dynamodb", "eventbridge", "sqs"),
            "NotificationFunction", Set.of("dynamodb"),
            "AnalyticsFunction", Set.of("dynamodb"));

    @TempDir
    static Path events;
    private static LocalPipeline stack;
    private static FunctionFixtures fixtures;

    @BeforeAll
    static void stack() {
        stack = SharedLocalStack.get();
        fixtures = new FunctionFixtures(stack, events);
    }

    /** The jar template.yaml deploys for a function (CodeUri), in the order of the template. */
    static Path jarOf(FunctionSpec f) throws Exception {
        String template = Files.readString(SharedLocalStack.TEMPLATE);
        int at = template.indexOf("  " + f.logicalId() + ":");
        Matcher uri = CODE_URI.matcher(template);
        assertThat(uri.find(at)).as("CodeUri of " + f.logicalId()).isTrue();
        Path jar = ROOT.resolve(uri.group(1));
        assertThat(jar).as("%s: build it first (./mvnw -B package)", jar).isRegularFile();
        return jar;
    }

    @Test
    void everyJarStartsAloneAndAnswersItsEvent() throws Exception {
        Map<String, FunctionSpec> functions = stack.template().functions();
        assertThat(functions.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES.keySet());
        FreshJvm jvm = FreshJvm.compile(ROOT, jarOf(functions.get("IntakeFunction")), FreshJvm.thisJava());
        DynamoDbJobStore jobs = new DynamoDbJobStore(stack.clients().dynamoDb(), fixtures.table());
        DynamoDbConsumerLedger ledger = new DynamoDbConsumerLedger(stack.clients().dynamoDb(), fixtures.table(), Clock.systemUTC());
        for (FunctionSpec f : functions.values()) {
            FunctionFixtures.Invocation invocation = fixtures.next(f);
            FreshJvm.Run run = jvm.launch(List.of(jarOf(f)), f.handlerClass(), f.memoryMb(), fixtures.environment(f),
                    invocation.event(), List.of(), false);
            assertThat(run.output()).as(f.logicalId() + " finds its SLF4J backend").doesNotContain("SLF4J(W)");
            switch (f.logicalId()) {
                case "IntakeFunction" -> {
                    assertThat(run.answer()).contains("\"statusCode\":202");
                    Matcher id = Pattern.compile("\\\\\"jobId\\\\\":\\\\\"([0-9a-f-]+)").matcher(run.answer());
                    assertThat(id.find()).as(run.answer()).isTrue();
                    assertThat(jobs.find(new JobId(id.group(1)))).as("the job the fresh intake accepted").isPresent();
                }
                case "WorkerFunction" -> {
                    assertThat(run.answer()).isEqualTo("{\"batchItemFailures\":[]}");
                    assertThat(jobs.find(new JobId(invocation.jobId())).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
                    // The jar's own SLF4J backend (no log4j2 in it): one JSON line with the job's keys.
                    JsonNode line = run.output().lines().filter(l -> l.contains("job completed in")).map(Json::tree)
                            .findFirst().orElseThrow(() -> new AssertionError("no 'job completed' line in:\n" + run.output()));
                    assertThat(line.get("jobId").asText()).isEqualTo(invocation.jobId());
                    assertThat(line.get("type").asText()).isEqualTo("vehicle.register");
                    assertThat(line.get("attempt").asText()).isEqualTo("1");
                    assertThat(line.get("messageId").asText()).isNotBlank();
                    assertThat(line.get("requestId").asText()).isNotBlank();
                }
                case "NotificationFunction" -> assertThat(ledger.applied("notifications", invocation.eventId())).isTrue();
                case "AnalyticsFunction" -> assertThat(ledger.applied("analytics", invocation.eventId())).isTrue();
                default -> throw new AssertionError("no check for " + f.logicalId());
            }
        }
    }

    @Test
    void everyJarCarriesOnlyTheServiceClientsItsFunctionCalls() throws Exception {
        for (FunctionSpec f : stack.template().functions().values()) {
            Set<String> services = new TreeSet<>();
            boolean joda;
            try (ZipFile jar = new ZipFile(jarOf(f).toFile())) {
                Pattern service = Pattern.compile("software/amazon/awssdk/services/([a-z0-9]+)/.*\\.class");
                jar.stream().map(e -> service.matcher(e.getName())).filter(Matcher::matches).forEach(m -> services.add(m.group(1)));
                joda = jar.stream().anyMatch(e -> e.getName().startsWith("org/joda/"));
            }
            assertThat(services).as(f.logicalId()).containsExactlyElementsOf(new TreeSet<>(SERVICES.get(f.logicalId())));
            assertThat(joda).as("%s carries joda-time", f.logicalId()).isFalse();
        }
    }
}
