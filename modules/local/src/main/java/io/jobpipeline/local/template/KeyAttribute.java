package io.jobpipeline.local.template;

/** A key attribute and its type from AttributeDefinitions: S, N or B. */
public record KeyAttribute(String name, String type) {
}
