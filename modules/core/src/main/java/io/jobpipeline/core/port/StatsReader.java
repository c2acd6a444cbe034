package io.jobpipeline.core.port;

import java.util.List;
import java.util.Map;

/** Read side of the analytics counts. */
public interface StatsReader {
    record MinuteCounts(String jobType, String minute, Map<String, Long> counts) {}

    List<MinuteCounts> counts(String jobType, String fromMinute, String toMinute) throws StoreUnavailable;

    List<String> jobTypes() throws StoreUnavailable;
}
