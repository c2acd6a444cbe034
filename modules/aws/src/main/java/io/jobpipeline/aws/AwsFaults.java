package io.jobpipeline.aws;

import io.jobpipeline.core.port.StoreUnavailable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Sorts SDK failures: unreachable, throttled or 5xx is "try later"; anything else is a bug to surface as is. */
final class AwsFaults {
    private AwsFaults() {}

    static boolean transientFault(Throwable e) {
        if (e instanceof SdkClientException) {
            return true;
        }
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return false;
    }

    static StoreUnavailable unavailable(String what, SdkException e) {
        if (!transientFault(e)) {
            throw e;
        }
        return new StoreUnavailable(what + " failed: " + e.getMessage(), e);
    }
}
