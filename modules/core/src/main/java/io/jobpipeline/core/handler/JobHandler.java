package io.jobpipeline.core.handler;

/**
 * What a job type implements: a typed payload in (its schema is {@code contracts/jobs/<type>.schema.json}), a result
 * out. Writes go through {@link JobContext#write} and are committed together with the job's completion, exactly once.
 */
public interface JobHandler<P, R> {
    String type();

    Class<P> payloadType();

    R handle(P payload, JobContext context) throws JobFailure;
}
