package io.jobpipeline.local.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * template.yaml with a shorter worker Timeout and JobsQueue VisibilityTimeout (template: 30 s and 180 s), in a
 * directory of its own: a batch whose invocation died comes back after the visibility timeout, and tests cannot wait
 * three minutes for it. The visibility timeout stays above the worker's timeout, as Lambda requires.
 */
final class QuickTemplate {
    private static final String WORKER = "\n      Handler: io.jobpipeline.worker.WorkerHandler::handleRequest\n";
    private static final String JOBS_QUEUE = "\n      VisibilityTimeout: 180\n";

    private QuickTemplate() {}

    static Path of(Path template, Duration workerTimeout, Duration visibilityTimeout) throws IOException {
        String text = Files.readString(template);
        if (!text.contains(WORKER) || !text.contains(JOBS_QUEUE)) {
            throw new IllegalStateException(template + " no longer has the WorkerHandler and 'VisibilityTimeout: 180' on "
                    + "JobsQueue where QuickTemplate expects them");
        }
        String changed = text.replace(WORKER, WORKER + "      Timeout: " + workerTimeout.toSeconds() + "\n")
                .replace(JOBS_QUEUE, "\n      VisibilityTimeout: " + visibilityTimeout.toSeconds() + "\n");
        Path copy = Files.createTempDirectory("quick-template").resolve("template.yaml");
        Files.writeString(copy, changed);
        return copy;
    }
}
