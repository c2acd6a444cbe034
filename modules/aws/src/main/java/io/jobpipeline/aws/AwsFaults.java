package io.jobpipeline.aws;

import io.jobpipeline.core.port.StoreUnavailable;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.NonRetryableException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Sorts SDK failures. Retryable within the invocation ({@link #retryable}): throttling (ProvisionedThroughputExceeded,
 * ThrottlingException, RequestLimitExceeded and the SDK's other throttling codes), 5xx, and connection errors and
 * timeouts. Never ConditionalCheckFailed, a transaction cancelled by a condition or a validation error, nor anything
 * else 4xx: those answers will not change. Transient ({@link #transientFault}, "try later"): the retryable ones, and an
 * interrupted or otherwise unreachable call; anything else is a bug to surface as is.
 */
final class AwsFaults {
    /** Throttling codes named explicitly, whatever the SDK's own list holds. */
    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException", "ThrottlingException",
            "RequestLimitExceeded", "Throttling", "TooManyRequestsException");
    /** Cancellation reasons of TransactWriteItems that a later try can get past. */
    private static final Set<String> PASSING_REASONS = Set.of("ThrottlingError", "ProvisionedThroughputExceeded",
            "RequestLimitExceeded", "TransactionConflict");
    /** Cancellation reasons that no retry changes. */
    private static final Set<String> FINAL_REASONS = Set.of("ConditionalCheckFailed", "ValidationError",
            "ItemCollectionSizeLimitExceeded");

    private AwsFaults() {}

    /** Worth another try within this invocation, after a backoff. */
    static boolean retryable(Throwable e) {
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            return false; // the invocation is being stopped
        }
        if (e instanceof NonRetryableException) {
            return false;
        }
        if (e instanceof SdkClientException) {
            return e instanceof RetryableException || e instanceof ApiCallAttemptTimeoutException
                    || e instanceof ApiCallTimeoutException || causedByIo(e);
        }
        return mayPass(e);
    }

    /** "Try later": retryable, or the call never got an answer (interrupted, unreachable). */
    static boolean transientFault(Throwable e) {
        return e instanceof SdkClientException || mayPass(e);
    }

    /** A service's answer that another try can change: throttled, 5xx, a transaction cancelled by throttling or conflict. */
    private static boolean mayPass(Throwable e) {
        if (e instanceof TransactionCanceledException cancelled) {
            return passing(cancelled.cancellationReasons());
        }
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.isThrottlingException() || (code != null && THROTTLING.contains(code)) || service.statusCode() >= 500;
        }
        return false;
    }

    /** A throttling or server error code of one entry of a batch call (PutEvents, ChangeMessageVisibilityBatch). */
    static boolean retryableEntryCode(String code) {
        return code != null && (THROTTLING.contains(code) || code.startsWith("Internal") || code.equals("ServiceUnavailable")
                || code.equals("ConcurrentModificationException"));
    }

    static StoreUnavailable unavailable(String what, SdkException e) {
        if (!transientFault(e)) {
            throw e;
        }
        return new StoreUnavailable(what + " failed: " + e.getMessage(), e);
    }

    private static boolean passing(List<CancellationReason> reasons) {
        boolean anyPassing = false;
        for (CancellationReason reason : reasons) {
            String code = reason.code() == null ? "None" : reason.code();
            if (FINAL_REASONS.contains(code)) {
                return false;
            }
            anyPassing |= PASSING_REASONS.contains(code);
        }
        return anyPassing;
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
