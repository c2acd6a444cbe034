package io.jobpipeline.core.port;

/** A store or queue could not be reached (or kept throttling) within the time there was; the caller may try later. */
public final class StoreUnavailable extends Exception {
    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
