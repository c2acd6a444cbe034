package io.jobpipeline.local.worker;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SQS events as Lambda hands them to the worker: the record of the fixture {@code events/sqs_event_product.json}
 * with each received message's fields filled in, turned into {@link SQSEvent} by the Lambda runtime's own serializer.
 */
final class LambdaSqsEvents {
    private static final ObjectNode RECORD_TEMPLATE = fixtureRecord();
    private static final PojoSerializer<SQSEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(SQSEvent.class, LambdaSqsEvents.class.getClassLoader());

    private LambdaSqsEvents() {}

    static SQSEvent of(List<Message> messages, String queueArn, String region) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : messages) {
            ObjectNode record = RECORD_TEMPLATE.deepCopy();
            record.put("messageId", m.messageId());
            record.put("receiptHandle", m.receiptHandle());
            record.put("body", m.body());
            record.set("attributes", Json.MAPPER.valueToTree(m.attributesAsStrings()));
            ObjectNode attributes = record.putObject("messageAttributes");
            m.messageAttributes().forEach((name, v) -> attributes.putObject(name).put("stringValue", v.stringValue())
                    .put("dataType", v.dataType()));
            record.put("md5OfBody", m.md5OfBody());
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
            records.add(record);
        }
        return SERIALIZER.fromJson(Json.write(event));
    }

    private static ObjectNode fixtureRecord() {
        try (InputStream in = LambdaSqsEvents.class.getResourceAsStream("/events/sqs_event_product.json")) {
            JsonNode fixture = Json.MAPPER.readTree(in);
            return (ObjectNode) fixture.get("Records").get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
