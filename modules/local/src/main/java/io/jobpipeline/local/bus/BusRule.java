package io.jobpipeline.local.bus;

import java.util.Optional;

/**
 * A rule on one bus: an EventBridge event pattern, one target and that target's RetryPolicy and DeadLetterConfig.
 *
 * @param name                    rule name, unique per bus
 * @param busName                 {@code default} or one of the configured custom buses
 * @param patternJson             EventBridge event pattern (prefix, suffix, numeric, anything-but, exists, wildcard,
 *                                {@code $or}, ... as Event Ruler understands them)
 * @param target                  where matched events go
 * @param maximumRetryAttempts    retries after the first failed attempt, 0..185 as in AWS
 * @param maximumEventAgeSeconds  stop retrying once the event is this old (counted from ingestion); AWS allows
 *                                60..86400, locally any positive value is accepted so tests can use small ones
 * @param deadLetterQueueUrl      SQS queue URL for events whose retries are spent; empty = log and drop
 */
public record BusRule(String name, String busName, String patternJson, EventTarget target,
                      int maximumRetryAttempts, int maximumEventAgeSeconds, Optional<String> deadLetterQueueUrl) {

    /** AWS defaults: 185 retries. */
    public static final int DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
    /** AWS default: 24 hours. */
    public static final int DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;

    public BusRule {
        requireText(name, "name");
        requireText(busName, "busName");
        requireText(patternJson, "patternJson");
        if (target == null) {
            throw new IllegalArgumentException("rule " + name + ": target must not be null");
        }
        if (maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
            throw new IllegalArgumentException("rule " + name + ": maximumRetryAttempts must be 0..185, was "
                    + maximumRetryAttempts);
        }
        if (maximumEventAgeSeconds < 1 || maximumEventAgeSeconds > 86_400) {
            throw new IllegalArgumentException("rule " + name + ": maximumEventAgeSeconds must be 1..86400, was "
                    + maximumEventAgeSeconds);
        }
        if (deadLetterQueueUrl == null) {
            throw new IllegalArgumentException("rule " + name + ": deadLetterQueueUrl must be Optional.empty(), not null");
        }
        deadLetterQueueUrl = deadLetterQueueUrl.filter(url -> !url.isBlank());
    }

    /** A rule with AWS's default retry policy (185 retries, 24 h) and no dead-letter queue. */
    public BusRule(String name, String busName, String patternJson, EventTarget target) {
        this(name, busName, patternJson, target, DEFAULT_MAXIMUM_RETRY_ATTEMPTS, DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
                Optional.empty());
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("BusRule." + field + " must not be blank");
        }
    }
}
