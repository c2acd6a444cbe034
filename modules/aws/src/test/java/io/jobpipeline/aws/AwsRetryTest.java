package io.jobpipeline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobpipeline.core.retry.RetryPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class AwsRetryTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00Z"));
    private final List<Duration> waits = new ArrayList<>();
    private final RetryPolicy policy = RetryPolicy.ofMillis(100, 1000, 5);
    /** Waits by moving the clock, so deadlines are tested without sleeping. */
    private final AwsRetry retry = new AwsRetry(policy, clock, d -> {
        waits.add(d);
        clock.advance(d);
    }, new Random(11));

    @Test
    void throttlingIsRetriedWithFullJitterUntilItPasses() {
        AtomicInteger calls = new AtomicInteger();

        String result = retry.call("GetItem", o -> {
            if (calls.incrementAndGet() < 4) {
                throw throttled("ProvisionedThroughputExceededException");
            }
            return "item";
        });

        assertThat(result).isEqualTo("item");
        assertThat(calls).hasValue(4);
        assertThat(waits).hasSize(3);
        for (int i = 0; i < waits.size(); i++) {
            assertThat(waits.get(i)).isBetween(Duration.ZERO, policy.ceiling(i + 1));
        }
    }

    @Test
    void everyThrottlingCodeAndServerErrorAndConnectionErrorIsRetried() {
        for (RuntimeException fault : List.of(throttled("ThrottlingException"), throttled("RequestLimitExceeded"),
                service(500, "InternalServerError"), service(503, "ServiceUnavailable"),
                SdkClientException.create("Unable to execute HTTP request", new IOException("Connection refused")),
                cancelled("ThrottlingError", "None"), cancelled("TransactionConflict"))) {
            AtomicInteger calls = new AtomicInteger();
            retry.call("call", o -> {
                if (calls.incrementAndGet() == 1) {
                    throw fault;
                }
                return "ok";
            });
            assertThat(calls).as(fault.toString()).hasValue(2);
        }
    }

    @Test
    void failedConditionsCancelledTransactionsAndValidationErrorsAreNeverRetried() {
        for (RuntimeException fault : List.of(
                ConditionalCheckFailedException.builder().message("The conditional request failed").statusCode(400).build(),
                cancelled("None", "ConditionalCheckFailed"), cancelled("ThrottlingError", "ConditionalCheckFailed"),
                cancelled("ValidationError"), service(400, "ValidationException"),
                SdkClientException.create("Unable to marshall request"))) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> retry.call("call", o -> {
                calls.incrementAndGet();
                throw fault;
            })).isSameAs(fault);
            assertThat(calls).as(fault.toString()).hasValue(1);
        }
        assertThat(waits).isEmpty();
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastFault() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.call("call", o -> {
            calls.incrementAndGet();
            throw throttled("ThrottlingException");
        })).isInstanceOf(DynamoDbException.class);
        assertThat(calls).hasValue(policy.maxAttempts());
    }

    @Test
    void neverWaitsPastTheDeadlineAndHandsEachCallTheTimeLeft() {
        Instant deadline = clock.instant().plusMillis(250);
        List<Duration> timeouts = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.until(deadline).call("call", (AwsRequestOverrideConfiguration o) -> {
            calls.incrementAndGet();
            timeouts.add(o.apiCallTimeout().orElseThrow());
            clock.advance(Duration.ofMillis(40)); // each call takes a while
            throw throttled("ThrottlingException");
        })).isInstanceOf(DynamoDbException.class);

        assertThat(clock.instant()).isBefore(deadline);
        assertThat(calls.get()).isLessThan(policy.maxAttempts() + 1);
        assertThat(timeouts.getFirst()).isEqualTo(Duration.ofMillis(250));
        assertThat(timeouts).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(timeouts.getLast()).isLessThanOrEqualTo(Duration.between(clock.instant(), deadline).plusMillis(40));
    }

    @Test
    void aDeadlineAlreadyPassedMakesNoCall() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.until(clock.instant().minusMillis(1)).call("call", o -> calls.incrementAndGet()))
                .isInstanceOf(SdkClientException.class).hasMessageContaining("no time left");
        assertThat(calls).hasValue(0);
    }

    @Test
    void partialResultsAreSentAgainUntilNothingIsLeft() {
        List<Integer> left = new ArrayList<>(List.of(3, 1, 0));
        List<Integer> seen = new ArrayList<>();

        int last = retry.call("PutEvents", o -> {
            int n = left.removeFirst();
            seen.add(n);
            return n;
        }, n -> n > 0);

        assertThat(last).isZero();
        assertThat(seen).containsExactly(3, 1, 0);
        assertThat(waits).hasSize(2);
    }

    @Test
    void anInterruptedWaitStopsAtOnceAndKeepsTheFlag() {
        AwsRetry interrupted = new AwsRetry(policy, clock, d -> {
            throw new InterruptedException();
        }, new Random(1));
        try {
            assertThatThrownBy(() -> interrupted.call("call", o -> {
                throw throttled("ThrottlingException");
            })).isInstanceOf(AbortedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void transientFaultsIncludeEveryRetryableOneAndUnreachableCalls() {
        assertThat(AwsFaults.transientFault(throttled("ThrottlingException"))).isTrue();
        assertThat(AwsFaults.transientFault(AbortedException.create("interrupted"))).isTrue();
        assertThat(AwsFaults.transientFault(cancelled("TransactionConflict"))).isTrue();
        assertThat(AwsFaults.transientFault(cancelled("ConditionalCheckFailed"))).isFalse();
        assertThat(AwsFaults.transientFault(service(400, "ValidationException"))).isFalse();
    }

    private static DynamoDbException throttled(String code) {
        if (code.equals("ProvisionedThroughputExceededException")) {
            return ProvisionedThroughputExceededException.builder().statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("slow down").build()).build();
        }
        return service(400, code);
    }

    private static DynamoDbException service(int status, String code) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    private static TransactionCanceledException cancelled(String... reasons) {
        return TransactionCanceledException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                .cancellationReasons(java.util.Arrays.stream(reasons).map(r -> CancellationReason.builder().code(r).build()).toList())
                .build();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
