package io.jobpipeline.core.port;

import io.jobpipeline.core.stats.JobTypeStats;
import java.util.List;

/** Read side of the analytics counts: one record per job type and minute (UTC, {@code yyyy-MM-dd'T'HH:mm}). */
public interface StatsReader {
    record MinuteStats(String jobType, String minute, JobTypeStats stats) {}

    /** The minutes of a job type with {@code fromMinute <= minute <= toMinute} that have counts, in order. */
    List<MinuteStats> minutes(String jobType, String fromMinute, String toMinute) throws StoreUnavailable;

    /** Every job type ever counted. */
    List<String> jobTypes() throws StoreUnavailable;
}
