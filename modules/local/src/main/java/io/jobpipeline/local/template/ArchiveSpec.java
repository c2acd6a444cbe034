package io.jobpipeline.local.template;

import java.util.Optional;

/**
 * An {@code AWS::Events::Archive} of one of the template's buses.
 *
 * @param archiveName   its {@code ArchiveName}; the logical id when the template names none (CloudFormation
 *                      generates one in AWS, as it does for queues)
 * @param busLogicalId  the bus of its {@code SourceArn} ({@code !GetAtt <bus>.Arn})
 * @param retentionDays {@code RetentionDays}; 0 (the default) keeps events indefinitely
 * @param patternJson   {@code EventPattern} as JSON, when the archive keeps only matching events
 */
public record ArchiveSpec(String logicalId, String archiveName, String busLogicalId, int retentionDays,
                          Optional<String> patternJson) {

    /** An archive without an {@code ArchiveName}: named after its logical id. */
    public ArchiveSpec(String logicalId, String busLogicalId, int retentionDays, Optional<String> patternJson) {
        this(logicalId, logicalId, busLogicalId, retentionDays, patternJson);
    }
}
