package io.jobpipeline.local.bus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends an event whose retries are spent to the rule's SQS dead-letter queue: the event JSON as the body and the
 * message attributes EventBridge documents for DLQ messages.
 */
final class DeadLetterSender {

    /** Why retrying stopped, as EventBridge writes it in EXHAUSTED_RETRY_CONDITION. */
    enum ExhaustedCondition { MaximumRetryAttempts, MaximumEventAgeInSeconds }

    /** The EventBridge ERROR_CODE for a target that was invoked and failed. */
    static final String ERROR_FROM_TARGET = "ERROR_FROM_TARGET";
    private static final int MAX_ERROR_MESSAGE_CHARS = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSender.class);

    private final SqsClient sqs;

    /** {@code sqs} may be null when no rule has a dead-letter queue. */
    DeadLetterSender(SqsClient sqs) {
        this.sqs = sqs;
    }

    static Map<String, String> attributes(String ruleArn, String targetArn, Throwable failure,
                                          ExhaustedCondition condition, int retryAttempts) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("RULE_ARN", ruleArn);
        attributes.put("TARGET_ARN", targetArn);
        attributes.put("ERROR_CODE", ERROR_FROM_TARGET);
        attributes.put("ERROR_MESSAGE", errorMessage(failure));
        attributes.put("EXHAUSTED_RETRY_CONDITION", condition.name());
        attributes.put("RETRY_ATTEMPTS", Integer.toString(retryAttempts));
        return attributes;
    }

    /** True when the queue accepted the message. */
    boolean send(String queueUrl, String eventJson, Map<String, String> attributes) {
        if (sqs == null) {
            LOG.error("rule {} has dead-letter queue {} but the bus has no SqsClient; event lost: {}",
                    attributes.get("RULE_ARN"), queueUrl, eventJson);
            return false;
        }
        Map<String, MessageAttributeValue> sqsAttributes = new LinkedHashMap<>();
        attributes.forEach((name, value) -> sqsAttributes.put(name,
                MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        try {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(eventJson).messageAttributes(sqsAttributes));
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not send to dead-letter queue {} for rule {}; event lost: {}", queueUrl,
                    attributes.get("RULE_ARN"), eventJson, e);
            return false;
        }
    }

    private static String errorMessage(Throwable failure) {
        String message = failure.getMessage();
        String text = message == null || message.isBlank()
                ? failure.getClass().getName() : failure.getClass().getSimpleName() + ": " + message;
        return text.length() <= MAX_ERROR_MESSAGE_CHARS ? text : text.substring(0, MAX_ERROR_MESSAGE_CHARS);
    }
}
