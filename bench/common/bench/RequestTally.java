package bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Every AWS request of every SDK client in this JVM, counted by {@code Service.Operation}, with DynamoDB's consumed
 * read and write capacity units as DynamoDB itself reports them (the interceptor asks each request for
 * {@code ReturnConsumedCapacity=TOTAL}). A global interceptor (the SDK loads it from
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}), so the handlers, the local stack's pollers
 * and the bus are all counted without touching their code. A client built with {@link #UNCOUNTED} is left out: the
 * bench's own probes.
 */
public final class RequestTally implements ExecutionInterceptor {
    public static final ExecutionAttribute<Boolean> UNCOUNTED = new ExecutionAttribute<>("bench.uncounted");
    private static final Map<String, LongAdder> REQUESTS = new ConcurrentHashMap<>();
    private static final DoubleAdder READ_UNITS = new DoubleAdder();
    private static final DoubleAdder WRITE_UNITS = new DoubleAdder();
    private static final Map<String, DoubleAdder> UNITS_BY_OPERATION = new ConcurrentHashMap<>();
    /** Requests by who made them: {@code origin + TAB + Service.Operation}. */
    private static final Map<String, LongAdder> ORIGIN_REQUESTS = new ConcurrentHashMap<>();
    /** DynamoDB capacity units by who made them: {@code origin + TAB + operation + TAB + "table" or "index <name>"}. */
    private static final Map<String, DoubleAdder> ORIGIN_UNITS = new ConcurrentHashMap<>();
    private static final ExecutionAttribute<String> ORIGIN = new ExecutionAttribute<>("bench.origin");
    /** The worker runs a batch's jobs on threads of its own, whose frames start in core's work package. */
    private static final String WORKER_CORE = "io.jobpipeline.core.work.";
    /** The packages of the Lambda handlers; a call made below one of their frames is that function's. */
    private static final List<String> HANDLER_PACKAGES = List.of("io.jobpipeline.intake.", "io.jobpipeline.worker.",
            "io.jobpipeline.analytics.", "io.jobpipeline.notifications.", WORKER_CORE);
    /** Origin of calls made by the local stack itself: its event source mappings (Lambda's pollers) and the bus. */
    public static final String STACK = "local stack";
    /** Entries sent with PutEvents: EventBridge bills per event (64 KB chunk), not per call. */
    public static final String EVENTS_PUT = "EventBridge.PutEvents entries";

    /** What was counted between two points of a run. */
    public record Snapshot(Map<String, Long> requests, double readUnits, double writeUnits, Map<String, Double> unitsByOperation,
                           Map<String, Long> originRequests, Map<String, Double> originUnits, Map<String, Double> billedWrites) {
        public Snapshot minus(Snapshot earlier) {
            Map<String, Long> r = new TreeMap<>();
            requests.forEach((k, v) -> {
                // A counter that only appeared after the earlier snapshot counts from zero.
                long d = v - earlier.requests.getOrDefault(k, 0L);
                if (d != 0) {
                    r.put(k, d);
                }
            });
            Map<String, Double> u = new TreeMap<>();
            unitsByOperation.forEach((k, v) -> u.put(k, v - earlier.unitsByOperation.getOrDefault(k, 0.0)));
            Map<String, Long> or = new TreeMap<>();
            originRequests.forEach((k, v) -> {
                long d = v - earlier.originRequests.getOrDefault(k, 0L);
                if (d != 0) {
                    or.put(k, d);
                }
            });
            Map<String, Double> ou = new TreeMap<>();
            originUnits.forEach((k, v) -> ou.put(k, v - earlier.originUnits.getOrDefault(k, 0.0)));
            Map<String, Double> bw = new TreeMap<>();
            billedWrites.forEach((k, v) -> bw.put(k, v - earlier.billedWrites.getOrDefault(k, 0.0)));
            return new Snapshot(r, readUnits - earlier.readUnits, writeUnits - earlier.writeUnits, u, or, ou, bw);
        }

        /** Write units by AWS's billing rules, all origins (see {@link RequestTally#billWrites}). */
        public double billedWriteUnits() {
            return billedWrites.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        public long count(String operation) {
            return requests.getOrDefault(operation, 0L);
        }

        public long service(String service) {
            return requests.entrySet().stream().filter(e -> e.getKey().startsWith(service + ".") && !e.getKey().equals(EVENTS_PUT))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    public static Snapshot snapshot() {
        Map<String, Long> r = new TreeMap<>();
        REQUESTS.forEach((k, v) -> r.put(k, v.sum()));
        Map<String, Double> u = new TreeMap<>();
        UNITS_BY_OPERATION.forEach((k, v) -> u.put(k, v.sum()));
        Map<String, Long> or = new TreeMap<>();
        ORIGIN_REQUESTS.forEach((k, v) -> or.put(k, v.sum()));
        Map<String, Double> ou = new TreeMap<>();
        ORIGIN_UNITS.forEach((k, v) -> ou.put(k, v.sum()));
        return new Snapshot(r, READ_UNITS.sum(), WRITE_UNITS.sum(), u, or, ou, billedWrites());
    }

    /**
     * Who is making this call, from the calling thread's stack (the SDK calls run on the caller's thread): the handler
     * package below which it runs ({@code io.jobpipeline.worker}), else {@link #STACK}.
     */
    private static String origin() {
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .map(name -> HANDLER_PACKAGES.stream().filter(name::startsWith).findFirst().orElse(null))
                .filter(java.util.Objects::nonNull).findFirst()
                .map(p -> p.equals(WORKER_CORE) ? "io.jobpipeline.worker" : p.substring(0, p.length() - 1)).orElse(STACK));
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (uncounted(attributes)) {
            return request;
        }
        String origin = origin();
        attributes.putAttribute(ORIGIN, origin);
        if (request instanceof software.amazon.awssdk.services.eventbridge.model.PutEventsRequest put) {
            REQUESTS.computeIfAbsent(EVENTS_PUT, k -> new LongAdder()).add(put.entries().size());
            ORIGIN_REQUESTS.computeIfAbsent(origin + "\t" + EVENTS_PUT, k -> new LongAdder()).add(put.entries().size());
        }
        // Ask DynamoDB what each call consumed, table and indexes apart; it changes nothing else about the call.
        ReturnConsumedCapacity indexes = ReturnConsumedCapacity.INDEXES;
        return switch (request) {
            case PutItemRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case DeleteItemRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case GetItemRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case QueryRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case BatchGetItemRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case BatchWriteItemRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case TransactGetItemsRequest r -> r.toBuilder().returnConsumedCapacity(indexes).build();
            default -> request;
        };
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!uncounted(attributes)) {
            REQUESTS.computeIfAbsent(key(attributes), k -> new LongAdder()).increment();
            ORIGIN_REQUESTS.computeIfAbsent(attributes.getAttribute(ORIGIN) + "\t" + key(attributes), k -> new LongAdder()).increment();
        }
    }

    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        if (uncounted(attributes)) {
            return;
        }
        if (context.httpRequest() != null) {
            billWrites(attributes.getAttribute(ORIGIN), key(attributes), context.request(), context.httpRequest().getUri());
        }
        String operation = key(attributes);
        String origin = attributes.getAttribute(ORIGIN);
        switch (context.response()) {
            case PutItemResponse r -> add(origin, operation, r.consumedCapacity(), true);
            case UpdateItemResponse r -> add(origin, operation, r.consumedCapacity(), true);
            case DeleteItemResponse r -> add(origin, operation, r.consumedCapacity(), true);
            case GetItemResponse r -> add(origin, operation, r.consumedCapacity(), false);
            case QueryResponse r -> add(origin, operation, r.consumedCapacity(), false);
            case BatchGetItemResponse r -> r.consumedCapacity().forEach(c -> add(origin, operation, c, false));
            case BatchWriteItemResponse r -> r.consumedCapacity().forEach(c -> add(origin, operation, c, true));
            case TransactWriteItemsResponse r -> r.consumedCapacity().forEach(c -> add(origin, operation, c, true));
            case TransactGetItemsResponse r -> r.consumedCapacity().forEach(c -> add(origin, operation, c, false));
            default -> { }
        }
    }

    private static void add(String origin, String operation, ConsumedCapacity capacity, boolean write) {
        if (capacity == null || capacity.capacityUnits() == null) {
            return;
        }
        // DynamoDB reports one total per call; a write call's units are write units, a read call's read units.
        (write ? WRITE_UNITS : READ_UNITS).add(capacity.capacityUnits());
        UNITS_BY_OPERATION.computeIfAbsent(operation, k -> new DoubleAdder()).add(capacity.capacityUnits());
        // The total, split into the table's share and each index's (an index write is billed as a write too).
        double table = capacity.table() == null || capacity.table().capacityUnits() == null
                ? capacity.capacityUnits() : capacity.table().capacityUnits();
        double indexed = 0;
        if (capacity.hasGlobalSecondaryIndexes()) {
            for (var e : capacity.globalSecondaryIndexes().entrySet()) {
                double u = e.getValue().capacityUnits() == null ? 0 : e.getValue().capacityUnits();
                indexed += u;
                ORIGIN_UNITS.computeIfAbsent(origin + "\t" + operation + "\tindex " + e.getKey(), k -> new DoubleAdder()).add(u);
            }
        }
        // Whatever the parts leave of the total is the table's (DynamoDB Local may report the total only).
        ORIGIN_UNITS.computeIfAbsent(origin + "\t" + operation + "\ttable", k -> new DoubleAdder())
                .add(Math.max(table, capacity.capacityUnits() - indexed));
    }

    /** What AWS bills for the writes of a successful call, by its rules, per origin and operation ("table" / "index"). */
    private static final Map<String, DoubleAdder> BILLED_WRITES = new ConcurrentHashMap<>();
    /** The size of every item this run wrote, as last seen: the "before" image of its next write. */
    private static final Map<String, Integer> ITEM_SIZES = new ConcurrentHashMap<>();
    private static final Map<java.net.URI, software.amazon.awssdk.services.dynamodb.DynamoDbClient> PROBES = new ConcurrentHashMap<>();
    /** The ByProducer index's hash key: an item that has it is in the index, projected whole (ALL). */
    private static final String INDEX_KEY = "GSI1PK";

    /**
     * Bills the call's item writes as DynamoDB on-demand does: per item, ceil(max(before, after) / 1 KB) write units,
     * twice that inside TransactWriteItems; plus one index write of the same size for an item in the ByProducer
     * index (projection ALL). The after image is read back with an uncounted GetItem; the before image is the size
     * this run last saw for the key (0 for a new item). DynamoDB Local's own ConsumedCapacity for transactions does
     * not follow these rules (it reports 4 units for a transaction of two small items and of three), hence this.
     */
    private static void billWrites(String origin, String operation, SdkRequest request, java.net.URI uri) {
        record Written(String table, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key) {}
        List<Written> written = new java.util.ArrayList<>();
        int factor = 1;
        switch (request) {
            case PutItemRequest r -> written.add(new Written(r.tableName(), keyOf(r.item())));
            case UpdateItemRequest r -> written.add(new Written(r.tableName(), r.key()));
            case DeleteItemRequest r -> written.add(new Written(r.tableName(), r.key()));
            case BatchWriteItemRequest r -> r.requestItems().forEach((t, ws) -> ws.forEach(w -> written.add(new Written(t,
                    w.putRequest() != null ? keyOf(w.putRequest().item()) : w.deleteRequest().key()))));
            case TransactWriteItemsRequest r -> {
                factor = 2;
                for (var item : r.transactItems()) {
                    if (item.put() != null) {
                        written.add(new Written(item.put().tableName(), keyOf(item.put().item())));
                    } else if (item.update() != null) {
                        written.add(new Written(item.update().tableName(), item.update().key()));
                    } else if (item.delete() != null) {
                        written.add(new Written(item.delete().tableName(), item.delete().key()));
                    }
                }
            }
            default -> { }
        }
        if (written.isEmpty()) {
            return;
        }
        java.net.URI endpoint = java.net.URI.create(uri.getScheme() + "://" + uri.getAuthority());
        var probe = PROBES.computeIfAbsent(endpoint, e -> software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(e)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.putExecutionAttribute(UNCOUNTED, true)).build());
        for (Written w : written) {
            var after = probe.getItem(b -> b.tableName(w.table()).key(w.key()).consistentRead(true)).item();
            int afterSize = after == null || after.isEmpty() ? 0 : itemSize(after);
            String id = w.table() + "|" + w.key();
            int beforeSize = ITEM_SIZES.getOrDefault(id, 0);
            ITEM_SIZES.put(id, afterSize);
            int units = Math.max(1, (Math.max(beforeSize, afterSize) + 1023) / 1024);
            BILLED_WRITES.computeIfAbsent(origin + "\t" + operation + "\ttable", k -> new DoubleAdder()).add(units * factor);
            if (after != null && after.containsKey(INDEX_KEY)) {
                BILLED_WRITES.computeIfAbsent(origin + "\t" + operation + "\tindex", k -> new DoubleAdder()).add(units);
            }
        }
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> keyOf(
            Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        return Map.of("PK", item.get("PK"), "SK", item.get("SK"));
    }

    /** DynamoDB's item size: attribute names and values (numbers about a byte per two digits, plus one). */
    static int itemSize(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        int bytes = 0;
        for (var e : item.entrySet()) {
            bytes += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + valueSize(e.getValue());
        }
        return bytes;
    }

    private static int valueSize(software.amazon.awssdk.services.dynamodb.model.AttributeValue v) {
        if (v.s() != null) {
            return v.s().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (v.n() != null) {
            return (v.n().length() + 1) / 2 + 1;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToInt(x -> x.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToInt(x -> (x.length() + 1) / 2 + 1).sum();
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToInt(x -> 1 + valueSize(x)).sum();
        }
        if (v.hasM()) {
            return 3 + itemSize(v.m()) + v.m().size();
        }
        return 1; // BOOL, NULL
    }

    /** Write units by AWS's rules per {@code origin + TAB + operation + TAB + "table"/"index"} (see {@link #billWrites}). */
    public static Map<String, Double> billedWrites() {
        Map<String, Double> b = new TreeMap<>();
        BILLED_WRITES.forEach((k, v) -> b.put(k, v.sum()));
        return b;
    }

    private static boolean uncounted(ExecutionAttributes attributes) {
        return Boolean.TRUE.equals(attributes.getAttribute(UNCOUNTED));
    }

    private static String key(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }
}
