package io.jobpipeline.cli.dlq;

/** What a replay did: messages moved (sent, then deleted), looked at but left, not sent, sent but not deleted. */
record ReplayCounts(long moved, long skipped, long failed, long notDeleted, boolean stoppedOnError) {
    long seen() {
        return moved + skipped + failed;
    }
}
