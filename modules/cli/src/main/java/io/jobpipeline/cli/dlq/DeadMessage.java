package io.jobpipeline.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A message of a dead-letter queue, explained: the job (and for a consumer's DLQ, the event) it is about, how often it
 * was tried, when it failed and why. For the jobs DLQ the error and the failure times come from the job's record;
 * for a consumer's DLQ from the attributes EventBridge (RULE_ARN, ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS) or
 * Lambda (ErrorCode, ErrorMessage, RequestID) put on the message.
 */
record DeadMessage(Message message, String jobId, String jobType, String eventId, String detailType, Integer receives,
                   Integer jobAttempts, Integer retryAttempts, Instant sentAt, Instant firstFailure, Instant lastFailure,
                   String error, String errorSource) {

    /** A message of the jobs DLQ: attributes jobId/jobType (SqsJobQueue), else the JobMessage body; the record if found. */
    static DeadMessage ofJob(Message m, JobRecord record) {
        JsonNode body = tree(m.body());
        String jobId = attribute(m, "jobId", body.path("jobId").asText(null));
        String type = attribute(m, "jobType", body.path("type").asText(null));
        Instant sent = sentAt(m);
        if (record == null) {
            return new DeadMessage(m, jobId, type, null, null, receives(m), null, null, sent, null, sent,
                    null, "no job record");
        }
        return new DeadMessage(m, jobId, type != null ? type : record.type(), null, null, receives(m), record.attempts(),
                null, sent, record.firstFailure(), record.lastFailure() != null ? record.lastFailure() : sent,
                record.lastError(), "job record (" + record.status() + ")");
    }

    /** A message of a consumer's DLQ: the EventBridge envelope as the body, the error in the message attributes. */
    static DeadMessage ofEvent(Message m) {
        JsonNode envelope = tree(m.body());
        JsonNode detail = envelope.path("detail");
        String code = attribute(m, "ERROR_CODE", attribute(m, "ErrorCode", null));
        String message = attribute(m, "ERROR_MESSAGE", attribute(m, "ErrorMessage", null));
        String error = code == null ? message : message == null ? code : code + ": " + message;
        String retries = attribute(m, "RETRY_ATTEMPTS", null);
        String source = m.messageAttributes().containsKey("RULE_ARN") ? "rule " + attribute(m, "RULE_ARN", "")
                : m.messageAttributes().containsKey("RequestID") ? "Lambda request " + attribute(m, "RequestID", "") : "message";
        Instant sent = sentAt(m);
        Instant eventTime = envelope.hasNonNull("time") ? parseOrNull(envelope.get("time").asText()) : null;
        return new DeadMessage(m, detail.path("jobId").asText(null), detail.path("type").asText(null),
                detail.path("eventId").asText(null), envelope.path("detail-type").asText(null), receives(m),
                detail.hasNonNull("attempt") ? detail.get("attempt").asInt() : null,
                retries == null ? null : Integer.valueOf(retries), sent, eventTime, sent, error, source);
    }

    /** True for a consumer's DLQ message (an event), false for a job message. */
    boolean fromEvent() {
        return detailType != null || eventId != null;
    }

    /** Receives as SQS counts them (in the source queue and here), before this look. */
    private static Integer receives(Message m) {
        String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        return count == null ? null : Math.max(0, Integer.parseInt(count) - 1);
    }

    private static Instant sentAt(Message m) {
        String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        return sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent));
    }

    static String attribute(Message m, String name, String fallback) {
        Map<String, MessageAttributeValue> attributes = m.messageAttributes();
        MessageAttributeValue value = attributes.get(name);
        return value == null || value.stringValue() == null ? fallback : value.stringValue();
    }

    private static JsonNode tree(String body) {
        try {
            return Json.tree(body);
        } catch (RuntimeException notJson) {
            return Json.MAPPER.missingNode();
        }
    }

    private static Instant parseOrNull(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
