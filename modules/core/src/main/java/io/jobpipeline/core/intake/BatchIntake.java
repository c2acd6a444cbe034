package io.jobpipeline.core.intake;

import io.jobpipeline.core.job.Job;
import io.jobpipeline.core.job.JobId;
import io.jobpipeline.core.job.JobRequest;
import io.jobpipeline.core.port.JobBatchQueue;
import io.jobpipeline.core.port.JobBatchQueue.Outgoing;
import io.jobpipeline.core.port.JobBatchQueue.Refusal;
import io.jobpipeline.core.port.JobStore;
import io.jobpipeline.core.port.StoreUnavailable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the valid jobs of a batch with the single job's guarantee, per job: every record first (written in parallel),
 * then the messages of the stored ones in batches, then the records of the messages the queue refused are taken back.
 * Each job's admission says what became of it; one job's failure never hides behind another's success.
 */
public final class BatchIntake {
    private static final Logger LOG = LoggerFactory.getLogger(BatchIntake.class);
    /** Parallel record writes: enough to hide the round trips of a 100-job batch, few enough not to cause throttling. */
    private static final int WIDTH = 10;

    private final JobStore store;
    private final JobBatchQueue queue;
    private final Clock clock;

    public BatchIntake(JobStore store, JobBatchQueue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    /** One admission per request, in order. */
    public List<Admission> accept(List<JobRequest> requests, String producer) {
        Instant now = clock.instant();
        List<Job> jobs = requests.stream().map(r -> Job.accepted(JobId.next(clock), r, producer, now)).toList();
        List<Admission> stored = Parallel.map(jobs, WIDTH, this::store);

        List<Outgoing> outgoing = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (stored.get(i) instanceof Admission.Admitted) {
                outgoing.add(new Outgoing(jobs.get(i).message(), requests.get(i).delay()));
            }
        }
        Map<JobId, Refusal> refused = new HashMap<>();
        for (Refusal r : send(outgoing)) {
            refused.put(r.jobId(), r);
        }
        List<Job> takeBack = jobs.stream().filter(j -> refused.containsKey(j.id())).toList();
        Parallel.map(takeBack, WIDTH, job -> JobIntake.takeBack(store, job));

        List<Admission> admissions = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            Refusal refusal = refused.get(jobs.get(i).id());
            admissions.add(refusal == null ? stored.get(i)
                    : new Admission.NotQueued("the queue did not take the job: " + refusal.reason(), refusal.transientFault()));
        }
        return admissions;
    }

    private List<Refusal> send(List<Outgoing> outgoing) {
        if (outgoing.isEmpty()) {
            return List.of();
        }
        try {
            return queue.sendAll(outgoing);
        } catch (RuntimeException bug) {
            // The port promises not to throw; if it does anyway, no record may stay behind without knowing its fate.
            LOG.error("sending a batch of {} jobs failed outright", outgoing.size(), bug);
            return outgoing.stream().map(o -> new Refusal(o.message().id(), bug.toString(), false)).toList();
        }
    }

    private Admission store(Job job) {
        try {
            store.create(job);
            return new Admission.Admitted(job);
        } catch (StoreUnavailable e) {
            JobIntake.takeBack(store, job); // the write may have been applied before the failure reached us
            return new Admission.NotQueued("the job could not be stored: " + e.getMessage(), true);
        } catch (RuntimeException refused) {
            return new Admission.NotQueued("the store refused the job: " + refused.getMessage(), false);
        }
    }
}
