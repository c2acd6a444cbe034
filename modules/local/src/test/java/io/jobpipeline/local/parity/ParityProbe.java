package io.jobpipeline.local.parity;

import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import java.net.URI;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A second, small local stack from {@code parity/probe-template.yaml}: the probe function behind an SQS mapping and a
 * JWT-guarded route. It is local only (the probe is a test class, not a deployable jar); tests that need it are
 * skipped against AWS, with the reason printed.
 */
final class ParityProbe {
    static final Path TEMPLATE = Path.of("src/test/resources/parity/probe-template.yaml");
    private static ParityProbe instance;

    final LocalPipeline stack;
    final SdkClients clients;
    final String queueUrl;
    final String table;
    final URI api;

    private ParityProbe(LocalPipeline stack, SdkClients clients) {
        this.stack = stack;
        this.clients = clients;
        this.queueUrl = stack.resources().queueUrl("ProbeQueue");
        this.table = stack.resources().ref("ProbeTable");
        this.api = stack.httpEndpoint();
    }

    static synchronized ParityProbe start() {
        if (instance == null) {
            LocalPipeline stack;
            try {
                stack = LocalPipeline.start(LocalOptions.ephemeral(TEMPLATE));
            } catch (Exception e) {
                throw new IllegalStateException("the probe stack did not start: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
            instance = new ParityProbe(stack, ParityTarget.localClients(stack));
        }
        return instance;
    }

    String token(String producer) {
        return stack.tokens().mint(producer);
    }

    /** The probe's records of one name ("BATCH#..." for SQS invocations, "HTTP#..." for requests), by start time. */
    List<Map<String, AttributeValue>> records(String probe, String kind) {
        return clients.dynamo().query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :kind)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("PROBE#" + probe),
                                ":kind", AttributeValue.fromS(kind + "#")))).items().stream()
                .sorted(Comparator.comparingLong(item -> Long.parseLong(item.get("startedAt").n()))).toList();
    }
}
