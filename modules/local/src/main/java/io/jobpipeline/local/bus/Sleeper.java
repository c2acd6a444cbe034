package io.jobpipeline.local.bus;

import java.time.Duration;

/** Waits between delivery retries. Injectable so tests can advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** Really sleeps (cheap: deliveries run on virtual threads). */
    static Sleeper system() {
        return Thread::sleep;
    }
}
