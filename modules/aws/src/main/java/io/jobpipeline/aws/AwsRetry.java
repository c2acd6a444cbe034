package io.jobpipeline.aws;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.jobpipeline.core.retry.Randomness;
import io.jobpipeline.core.retry.RetryPolicy;
import io.jobpipeline.core.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Retries within one invocation, on resilience4j-retry: exponential backoff with full jitter ({@link RetryPolicy}) on
 * the faults {@link AwsFaults#retryable} names, and, for calls that partly succeed (PutEvents,
 * ChangeMessageVisibilityBatch), while the result says a part is left to send. Bounded by a deadline: a wait that
 * would end too close to it is not started, and each call gets the time left as its SDK {@code apiCallTimeout}, so a
 * retrying worker gives up before its invocation times out instead of being killed mid-write.
 *
 * <p>The clients these calls go through should not retry on their own (the worker builds them with
 * {@code AwsRetryStrategy.doNotRetry()}): the SDK's attempts would multiply with these.
 *
 * <p>resilience4j's synchronous {@code Retry.Context} sleeps through a static, process-wide sleep function; this class
 * drives its {@code AsyncContext} instead, which only computes the waits, and sleeps through the {@link Sleeper} and
 * reads the time from the {@link Clock} it is given.
 */
public final class AwsRetry {
    private static final Logger LOG = LoggerFactory.getLogger(AwsRetry.class);
    /** A retry is only worth its wait if at least this much time is left for the call itself. */
    static final Duration MIN_CALL = Duration.ofMillis(20);

    private final RetryPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Instant deadline;

    public AwsRetry(RetryPolicy policy, Clock clock, Sleeper sleeper, RandomGenerator random) {
        this(policy, clock, sleeper, random, null);
    }

    private AwsRetry(RetryPolicy policy, Clock clock, Sleeper sleeper, RandomGenerator random, Instant deadline) {
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.deadline = deadline;
    }

    /** One attempt per call: for clients whose SDK retry strategy does the retrying (the intake's). */
    public static AwsRetry sdkRetriesOnly() {
        return new AwsRetry(RetryPolicy.none(), Clock.systemUTC(), Sleeper.threadSleep(), Randomness.perThread());
    }

    /** The same policy, bounded by {@code deadline}. */
    public AwsRetry until(Instant deadline) {
        return new AwsRetry(policy, clock, sleeper, random, deadline);
    }

    public RetryPolicy policy() {
        return policy;
    }

    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    /** {@code call} until it succeeds, fails in a way a retry cannot help, runs out of attempts or of time. */
    public <T> T call(String what, Function<AwsRequestOverrideConfiguration, T> call) {
        return call(what, call, result -> false);
    }

    /**
     * As {@link #call(String, Function)}, and again while {@code again} holds for the result (a batch call with entries
     * left over); the last result is returned either way. {@code call} gets the request override to put on its
     * request: the time left until the deadline as the call's timeout.
     */
    public <T> T call(String what, Function<AwsRequestOverrideConfiguration, T> call, Predicate<? super T> again) {
        Retry.AsyncContext<T> attempts = Retry.of(what, RetryConfig.<T>custom()
                .maxAttempts(policy.maxAttempts())
                .retryOnException(AwsFaults::retryable)
                .retryOnResult(again::test)
                .intervalBiFunction((IntervalBiFunction<T>) (retry, lastOutcome) -> waitBefore(retry))
                .failAfterMaxAttempts(false)
                .build()).asyncContext();
        while (true) {
            T result;
            try {
                result = call.apply(overrides(what));
            } catch (RuntimeException e) {
                long wait = attempts.onError(e);
                if (wait < 0) {
                    throw e;
                }
                LOG.debug("{} failed ({}); trying again in {} ms", what, e.toString(), wait);
                pause(what, wait);
                continue;
            }
            long wait = attempts.onResult(result);
            if (wait < 0) {
                attempts.onComplete();
                return result;
            }
            LOG.debug("{} left entries over; sending them again in {} ms", what, wait);
            pause(what, wait);
        }
    }

    /** The wait before retry {@code retry}, or -1 (no retry) when it would end too close to the deadline. */
    private Long waitBefore(Integer retry) {
        Duration wait = policy.backoff(retry, random);
        if (deadline != null && clock.instant().plus(wait).plus(MIN_CALL).isAfter(deadline)) {
            return -1L;
        }
        return wait.toMillis();
    }

    private AwsRequestOverrideConfiguration overrides(String what) {
        if (deadline == null) {
            return AwsRequestOverrideConfiguration.builder().build();
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.compareTo(Duration.ofMillis(1)) < 0) {
            throw ApiCallTimeoutException.builder().message("no time left for " + what + " before the invocation's deadline").build();
        }
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(left).build();
    }

    private void pause(String what, long millis) {
        try {
            sleeper.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.builder().message("interrupted while backing off from " + what).cause(e).build();
        }
    }
}
