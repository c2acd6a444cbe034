package io.jobpipeline.core.retry;

import java.time.Duration;

/** Waiting between attempts, handed in so tests can wait without sleeping (and see how long they would have). */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** The real thing. */
    static Sleeper threadSleep() {
        return duration -> {
            if (duration.isPositive()) {
                Thread.sleep(duration);
            }
        };
    }
}
