package io.jobpipeline.local.template;

import java.util.Optional;

/** A global secondary index; projectionType is ALL, KEYS_ONLY or INCLUDE. */
public record IndexSpec(String name, KeyAttribute partitionKey, Optional<KeyAttribute> sortKey, String projectionType) {
}
