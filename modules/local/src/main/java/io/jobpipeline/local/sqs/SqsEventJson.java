package io.jobpipeline.local.sqs;

import io.jobpipeline.core.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The SQS event Lambda's event source mapping hands a function: {@code {"Records": [...]}}, field for field. */
final class SqsEventJson {
    private SqsEventJson() {}

    static String of(List<Message> messages, String queueArn, String region) {
        List<Map<String, Object>> records = new ArrayList<>(messages.size());
        for (Message m : messages) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", m.messageId());
            record.put("receiptHandle", m.receiptHandle());
            record.put("body", m.body());
            record.put("attributes", m.attributesAsStrings());
            record.put("messageAttributes", attributes(m.messageAttributes()));
            record.put("md5OfBody", m.md5OfBody());
            if (m.md5OfMessageAttributes() != null) {
                record.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
            }
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
            records.add(record);
        }
        return Json.write(Map.of("Records", records));
    }

    private static Map<String, Object> attributes(Map<String, MessageAttributeValue> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((name, v) -> {
            Map<String, Object> value = new LinkedHashMap<>();
            if (v.stringValue() != null) {
                value.put("stringValue", v.stringValue());
            }
            if (v.binaryValue() != null) {
                value.put("binaryValue", java.util.Base64.getEncoder().encodeToString(v.binaryValue().asByteArray()));
            }
            value.put("stringListValues", List.of());
            value.put("binaryListValues", List.of());
            value.put("dataType", v.dataType());
            out.put(name, value);
        });
        return out;
    }
}
