package io.jobpipeline.cli.dlq;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/** Where replayed messages go: a queue (body and message attributes as they were) or the bus (the event again). */
interface ReplayDestination {
    /** For the summary and the audit record: a queue's name, or "bus NAME". */
    String name();

    /** True when what moved is the job itself (its record gets a REPLAYED entry), not one of its events. */
    boolean rerunsJobs();

    /** True when what moved are a job's events, to its consumers again (its record, if any, gets a REPLAYED entry too). */
    default boolean redeliversEvents() {
        return false;
    }

    /** Sends up to ten messages; answers the ones that did not go, by message id, with why. */
    Map<String, String> send(List<Message> messages);
}
