package bench;

import io.jobpipeline.local.LocalPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The emulators' ceiling for a given request mix: the same number of each SQS request and DynamoDB write the pipeline
 * made, issued straight at ElasticMQ and DynamoDB Local from a thread pool, on a queue and a table of the bench's own,
 * with payloads of the pipeline's sizes and no pipeline code. Reads and PutEvents are left out, as the issue defines
 * the ceiling ("SQS send/receive/delete and DynamoDB writes"): the ratio is stricter for it.
 */
public final class RawCeiling {
    private static final String BODY = "x".repeat(450); // about a job message's size
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private final String queueUrl;
    private final String table;
    private final ConcurrentLinkedQueue<String> receipts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger keys = new AtomicInteger();

    public RawCeiling(LocalPipeline stack) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        var http = UrlConnectionHttpClient.create();
        // Uncounted: these requests are the yardstick, not the pipeline's.
        this.sqs = SqsClient.builder().httpClient(http).region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(stack.sqsEndpoint()).overrideConfiguration(c -> c.putExecutionAttribute(RequestTally.UNCOUNTED, true)).build();
        this.dynamo = DynamoDbClient.builder().httpClient(http).region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(stack.dynamoEndpoint()).overrideConfiguration(c -> c.putExecutionAttribute(RequestTally.UNCOUNTED, true)).build();
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.queueUrl = sqs.createQueue(b -> b.queueName("bench-raw-" + id)).queueUrl();
        this.table = "BenchRaw-" + id;
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("PK").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("SK").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("PK").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("SK").keyType(KeyType.RANGE).build()));
    }

    public record Result(int threads, long requests, double seconds) {}

    /** The pipeline's SQS requests and DynamoDB writes, out of everything it sent. */
    public static Map<String, Long> emulatorRequests(RequestTally.Snapshot pipeline) {
        Map<String, Long> mix = new TreeMap<>();
        pipeline.requests().forEach((op, n) -> {
            if (op.startsWith("Sqs.") || op.matches("DynamoDb\\.(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)")) {
                mix.put(op, n);
            }
        });
        return mix;
    }

    /** The fastest of runs at each thread count: the ceiling is the best the emulators do. */
    public Result best(Map<String, Long> mix, int[] threadCounts) throws Exception {
        Result best = null;
        for (int threads : threadCounts) {
            Result r = run(mix, threads);
            System.out.printf(java.util.Locale.ROOT, "  ceiling run, %d threads: %.2f s%n", threads, r.seconds());
            if (best == null || r.seconds() < best.seconds()) {
                best = r;
            }
        }
        return best;
    }

    /** Issues {@code mix} spread evenly over its jobs: each op at its own rate, sends before receives before deletes. */
    public Result run(Map<String, Long> mix, int threads) throws Exception {
        List<String> ops = interleaved(mix);
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < ops.size(); i = next.getAndIncrement()) {
                        issue(ops.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        sqs.purgeQueue(b -> b.queueUrl(queueUrl));
        receipts.clear();
        return new Result(threads, ops.size(), seconds);
    }

    private static List<String> interleaved(Map<String, Long> mix) {
        long slots = mix.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<String> order = new ArrayList<>(mix.keySet());
        // Within a slot: what puts messages first, what takes them last.
        order.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        List<String> ops = new ArrayList<>();
        for (long slot = 0; slot < slots; slot++) {
            for (String op : order) {
                long n = mix.get(op);
                if ((slot + 1) * n / slots > slot * n / slots) {
                    ops.add(op);
                }
            }
        }
        return ops;
    }

    private static int rank(String op) {
        return op.startsWith("Sqs.Send") ? 0 : op.startsWith("Sqs.Receive") ? 2 : op.startsWith("Sqs.") ? 3 : 1;
    }

    private void issue(String op) {
        switch (op) {
            case "Sqs.SendMessage" -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(BODY));
            case "Sqs.SendMessageBatch" -> sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(batch(10)));
            case "Sqs.ReceiveMessage" -> receive();
            case "Sqs.DeleteMessage" -> {
                String r = receipts.poll();
                if (r == null) {
                    receive();
                } else {
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(r));
                }
            }
            case "Sqs.DeleteMessageBatch" -> {
                List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                String r;
                while (entries.size() < 10 && (r = receipts.poll()) != null) {
                    entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size())).receiptHandle(r).build());
                }
                if (entries.isEmpty()) {
                    receive();
                } else {
                    sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
                }
            }
            case "Sqs.ChangeMessageVisibility", "Sqs.ChangeMessageVisibilityBatch" -> {
                String r = receipts.peek();
                if (r == null) {
                    receive();
                } else {
                    sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id("0").receiptHandle(r).visibilityTimeout(30).build()));
                }
            }
            case "DynamoDb.PutItem" -> dynamo.putItem(b -> b.tableName(table).item(item(keys.incrementAndGet())));
            case "DynamoDb.UpdateItem" -> dynamo.updateItem(b -> b.tableName(table).key(key(Math.max(1, keys.get())))
                    .updateExpression("SET v = :v ADD n :one").expressionAttributeValues(Map.of(":v", AttributeValue.fromS(BODY),
                            ":one", AttributeValue.fromN("1"))));
            case "DynamoDb.DeleteItem" -> dynamo.deleteItem(b -> b.tableName(table).key(key(Math.max(1, keys.get()))));
            case "DynamoDb.TransactWriteItems" -> dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item(keys.incrementAndGet()))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item(keys.incrementAndGet()))).build()));
            case "DynamoDb.BatchWriteItem" -> dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, List.of(
                    software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(item(keys.incrementAndGet()))).build()))));
            default -> throw new IllegalArgumentException("the ceiling has no stand-in for " + op);
        }
    }

    private void receive() {
        for (Message m : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages()) {
            receipts.add(m.receiptHandle());
        }
    }

    private static List<SendMessageBatchRequestEntry> batch(int n) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(BODY).build());
        }
        return entries;
    }

    private static Map<String, AttributeValue> key(int k) {
        return Map.of("PK", AttributeValue.fromS("RAW#" + k), "SK", AttributeValue.fromS("RAW"));
    }

    private static Map<String, AttributeValue> item(int k) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(k));
        item.put("v", AttributeValue.fromS(BODY)); // about a job record's size
        return item;
    }
}
