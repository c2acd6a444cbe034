package io.jobpipeline.cli.dlq;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar of a replay on stderr (me.tongfei progressbar): messages looked at of the queue's depth, with counts. */
final class ReplayProgress implements AutoCloseable {
    private final ProgressBar bar;

    private ReplayProgress(ProgressBar bar) {
        this.bar = bar;
    }

    static ReplayProgress on(PrintWriter err, String task, long expected) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, expected))
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print("\r" + line);
                    err.flush();
                }, 100)).build();
        return new ReplayProgress(bar);
    }

    /** Counts so far; {@code seen} is how many messages were looked at. */
    void update(long seen, long moved, long skipped, long failed) {
        if (seen > bar.getMax()) {
            bar.maxHint(seen);
        }
        bar.stepTo(seen);
        bar.setExtraMessage(" moved " + moved + ", skipped " + skipped + ", failed " + failed);
    }

    @Override
    public void close() {
        bar.close();
    }
}
