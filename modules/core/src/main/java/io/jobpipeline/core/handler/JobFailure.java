package io.jobpipeline.core.handler;

/** A handler's way to say an attempt failed: retryable (try again later) or permanent (retrying cannot help). */
public final class JobFailure extends Exception {
    private final boolean retryable;

    private JobFailure(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public static JobFailure retryable(String message) {
        return new JobFailure(message, true, null);
    }

    public static JobFailure retryable(String message, Throwable cause) {
        return new JobFailure(message, true, cause);
    }

    public static JobFailure permanent(String message) {
        return new JobFailure(message, false, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
