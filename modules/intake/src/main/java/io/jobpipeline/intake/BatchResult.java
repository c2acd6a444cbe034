package io.jobpipeline.intake;

/** One job's answer in a batch: {@code jobId} and {@code statusUrl} when accepted, {@code problem} otherwise. */
record BatchResult(int index, int status, String jobId, String statusUrl, Problem problem) {
    static BatchResult accepted(int index, String jobId) {
        return new BatchResult(index, 202, jobId, "/jobs/" + jobId, null);
    }

    static BatchResult rejected(int index, Problem problem) {
        return new BatchResult(index, problem.status(), null, null, problem);
    }
}
