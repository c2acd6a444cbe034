package io.jobpipeline.core.work;

import java.util.Optional;

/** One delivered message, as the worker sees it whatever the queue: id, body, how often delivered, FIFO group. */
public record QueueRecord(String messageId, String body, int receiveCount, Optional<String> messageGroupId) {}
