package io.jobpipeline.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The emulators with a data directory, SIGKILLed while writing: every PutItem and SendMessage they answered is there
 * after a start on the same directory. (H2's default 500 ms write delay lost the last acknowledged messages.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AcknowledgedWritesSurviveSigkillTest {
    /** Enough acknowledged pairs that the kill lands mid-stream, with writes in flight. */
    private static final int ACKS_BEFORE_KILL = 300;

    @Test
    void everyAnsweredWriteSurvivesASigkill(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path errors = dir.resolve("writer.err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(List.of(java, "-Xmx384m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), AcknowledgedWriter.class.getName(), data.toString()))
                .redirectError(errors.toFile()).start();
        Set<String> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    acked.add(line.substring("acked ".length()));
                }
            }
            writer.destroyForcibly(); // SIGKILL at once: the writer is still sending
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).as("acknowledged before the kill (writer's errors: %s)", Files.readString(errors))
                .hasSize(ACKS_BEFORE_KILL);

        try (Emulators emulators = Emulators.start("127.0.0.1", 0, 0, AcknowledgedWriter.REGION, "123456789012",
                Optional.of(data)); SdkHttpClient http = UrlConnectionHttpClient.builder().build()) {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
            try (SqsClient sqs = SqsClient.builder().httpClient(http).region(Region.of(AcknowledgedWriter.REGION))
                    .credentialsProvider(credentials).endpointOverride(emulators.sqsEndpoint()).build();
                 DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).region(Region.of(AcknowledgedWriter.REGION))
                         .credentialsProvider(credentials).endpointOverride(emulators.dynamoEndpoint()).build()) {
                Set<String> items = new HashSet<>();
                dynamo.scanPaginator(b -> b.tableName(AcknowledgedWriter.TABLE)).items()
                        .forEach(item -> items.add(item.get("id").s()));
                assertThat(items).as("items after the restart").containsAll(acked);

                Set<String> messages = messages(sqs, sqs.getQueueUrl(b -> b.queueName(AcknowledgedWriter.QUEUE)).queueUrl());
                Set<String> lost = new HashSet<>(acked);
                lost.removeAll(messages);
                assertThat(lost).as("acknowledged messages missing after the restart (%d kept of %d sent)",
                        messages.size(), items.size()).isEmpty();
            }
        }
    }

    /** Every message body in the queue: received with a long visibility timeout until a receive comes back empty. */
    private static Set<String> messages(SqsClient sqs, String url) {
        Set<String> bodies = new HashSet<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300)
                    .waitTimeSeconds(0)).messages();
            batch.forEach(m -> bodies.add(m.body()));
        } while (!batch.isEmpty());
        return bodies;
    }
}
