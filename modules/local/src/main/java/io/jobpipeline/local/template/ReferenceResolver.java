package io.jobpipeline.local.template;

/** What the local stack answers for references the template cannot know by itself. Null means "no value". */
public interface ReferenceResolver {
    /** {@code !Ref} of a resource: queue URL, table name, bus name, function name. */
    String ref(String logicalId);

    /** {@code !GetAtt}, e.g. ({@code JobsQueue}, {@code Arn}), ({@code JobsEventBus}, {@code Arn}). */
    String getAtt(String logicalId, String attribute);

    /** A pseudo parameter not given at load time: {@code AWS::Region}, {@code AWS::AccountId}, {@code AWS::Partition}, ... */
    String pseudo(String name);
}
