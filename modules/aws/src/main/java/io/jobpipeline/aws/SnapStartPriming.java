package io.jobpipeline.aws;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's runtime hook for one function: before Lambda takes the snapshot of the initialised function, runs the
 * function's priming calls with canned SDK answers ({@link PrimableHttpClient}), so the classes and code paths of a
 * first invocation are loaded and run in the snapshot instead of in the first request after each restore. Nothing
 * is refreshed after restore: the clients re-read credentials themselves (SnapStart gives them through the container
 * credentials endpoint) and open fresh connections, since none was opened while priming.
 *
 * <p>Outside SnapStart (a plain JVM, the local stack) {@link #register} still keeps the hook, and nothing calls it.
 */
public final class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    /** The bus's consumers prime on this envelope: the shape the rules deliver, with a JobCompleted inside. */
    public static final String PRIMING_EVENT = """
            {"version": "0", "id": "00000000-0000-4000-8000-000000000000", "detail-type": "JobCompleted",
             "source": "jobs.pipeline", "account": "000000000000", "time": "2026-01-01T00:00:01Z", "region": "us-east-1",
             "resources": [], "detail": {"eventId": "00000000-0000-3000-8000-000000000000",
             "jobId": "00000000-0000-7000-8000-000000000000", "type": "vehicle.register", "producer": "snapstart-priming",
             "attempt": 1, "result": {"vehicleId": "VAN-000"}, "acceptedAt": "2026-01-01T00:00:00Z",
             "completedAt": "2026-01-01T00:00:01Z", "durationMs": 1}}""";

    private final String function;
    private final AwsClients aws;
    private final Runnable calls;

    private SnapStartPriming(String function, AwsClients aws, Runnable calls) {
        this.function = function;
        this.aws = aws;
        this.calls = calls;
    }

    /** Registers the hook with the runtime; keep the returned object (the runtime holds it weakly). */
    public static SnapStartPriming register(String function, AwsClients aws, Runnable calls) {
        SnapStartPriming priming = new SnapStartPriming(function, aws, calls);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** Runs the priming calls now (what the checkpoint does, and what the cold start bench times); false if they failed. */
    public boolean prime() {
        try {
            aws.offline(calls);
            return true;
        } catch (RuntimeException e) {
            // A snapshot without priming is slower to its first answer, not wrong: deploy it anyway.
            LOG.warn("{}: priming before the snapshot failed, the first invocation after a restore will be slower", function, e);
            return false;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
    }
}
