package io.jobpipeline.local.chaos;

import java.time.Duration;

/**
 * One chaos soak: how many jobs, the seed every random choice derives from, and how hard each fault hits while the
 * faults are on.
 *
 * @param jobs                  jobs submitted (poison included), about half of each type
 * @param poisonShare           share of the jobs that are inspections of a vehicle nobody registered (until the fix)
 * @param callbackShare         share of the jobs with a callbackUrl (webhooks to a local receiver)
 * @param dynamoThrottleShare   share of the functions' DynamoDB calls answered ProvisionedThroughputExceeded & co.
 * @param putEventsFailureShare share of PutEvents entries the bus reports InternalFailure for
 * @param receiveErrorShare     share of the event source mapping's ReceiveMessage calls answered with a 500
 * @param crashShare            share of worker invocations killed after a random number of completions
 * @param duplicateShare        share of worker batches delivered twice, to two containers at once
 * @param outageAfter           when the analytics consumer's DynamoDB writes start failing, after its first event
 * @param outage                how long they fail
 * @param visibilityTimeout     JobsQueue's VisibilityTimeout (template: 180 s): how long a killed batch stays away
 * @param functionTimeout       the worker's Timeout (template: 30 s), which is also how long a killed attempt leases its job
 */
public record ChaosSettings(int jobs, long seed, double poisonShare, double callbackShare, double dynamoThrottleShare,
                            double putEventsFailureShare, double receiveErrorShare, double crashShare, double duplicateShare,
                            Duration outageAfter, Duration outage, Duration visibilityTimeout, Duration functionTimeout) {

    public ChaosSettings {
        if (jobs < 10) {
            throw new IllegalArgumentException("a soak needs 10 jobs at least, not " + jobs);
        }
        if (visibilityTimeout.compareTo(functionTimeout) <= 0) {
            throw new IllegalArgumentException("the visibility timeout must outlast the function timeout, as Lambda requires");
        }
    }

    /** The faults the README's figures were taken with. */
    public static ChaosSettings defaults(int jobs, long seed) {
        return new ChaosSettings(jobs, seed, 0.02, 0.3, 0.05, 0.05, 0.05, 0.03, 0.05,
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(8));
    }

    /**
     * The test suite's soak: few jobs, so every fault hits harder (a fault must fire to prove anything), and the
     * outage starts sooner.
     */
    public static ChaosSettings suite(int jobs, long seed) {
        return new ChaosSettings(jobs, seed, 0.04, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1,
                Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(6));
    }

    public String describe() {
        return String.format(java.util.Locale.ROOT, "DynamoDB throttling %.0f %% of calls, PutEvents entries failed %.0f %%, "
                        + "SQS receive errors %.0f %%, worker invocations killed mid-batch %.0f %%, batches delivered twice %.0f %%, "
                        + "analytics consumer's writes failing for %d s, poison %.0f %% of jobs; JobsQueue visibility %d s, "
                        + "worker timeout %d s",
                dynamoThrottleShare * 100, putEventsFailureShare * 100, receiveErrorShare * 100, crashShare * 100,
                duplicateShare * 100, outage.toSeconds(), poisonShare * 100, visibilityTimeout.toSeconds(), functionTimeout.toSeconds());
    }
}
