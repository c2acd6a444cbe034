package io.jobpipeline.core.retry;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Where jitter comes from when nobody hands in a seeded generator. */
public final class Randomness {
    private Randomness() {}

    /**
     * Each call draws from the calling thread's {@link ThreadLocalRandom}: safe to share between threads, and unlike a
     * {@code ThreadLocalRandom.current()} captured once and shared, every thread draws from its own seed.
     */
    public static RandomGenerator perThread() {
        return () -> ThreadLocalRandom.current().nextLong();
    }
}
