package io.jobpipeline.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipeline.core.Json;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A message as one JSON line of {@code dlq export}: {@code queue}, {@code messageId}, {@code md5OfBody}, {@code body},
 * {@code attributes} (SQS's, as text) and {@code messageAttributes} ({@code {"dataType", "stringValue"|"binaryValue"}},
 * binary as base64). {@code dlq import} sends body and message attributes back.
 */
final class MessageLine {
    private MessageLine() {}

    static String write(String queue, Message m) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("queue", queue);
        line.put("messageId", m.messageId());
        line.put("md5OfBody", m.md5OfBody());
        line.put("body", m.body());
        ObjectNode attributes = line.putObject("attributes");
        m.attributesAsStrings().forEach(attributes::put);
        ObjectNode messageAttributes = line.putObject("messageAttributes");
        m.messageAttributes().forEach((name, value) -> {
            ObjectNode v = messageAttributes.putObject(name);
            v.put("dataType", value.dataType());
            if (value.stringValue() != null) {
                v.put("stringValue", value.stringValue());
            }
            if (value.binaryValue() != null) {
                v.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
            }
        });
        return Json.write(line);
    }

    /** The body and message attributes of an exported line, as a message to send. */
    static Message read(String text) {
        JsonNode line = Json.tree(text);
        if (!line.hasNonNull("body")) {
            throw new IllegalArgumentException("the line has no body");
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        line.path("messageAttributes").properties().forEach(e -> {
            JsonNode v = e.getValue();
            MessageAttributeValue.Builder value = MessageAttributeValue.builder().dataType(v.path("dataType").asText("String"));
            if (v.hasNonNull("stringValue")) {
                value.stringValue(v.get("stringValue").asText());
            }
            if (v.hasNonNull("binaryValue")) {
                value.binaryValue(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.get("binaryValue").asText())));
            }
            attributes.put(e.getKey(), value.build());
        });
        return Message.builder().messageId(line.path("messageId").asText("line")).body(line.get("body").asText())
                .messageAttributes(attributes).build();
    }
}
