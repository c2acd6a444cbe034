package io.jobpipeline.core.port;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Read side of the domain records job handlers keep; writes go through {@link JobStore#complete}. */
public interface EntityStore {
    Optional<JsonNode> find(String kind, String id) throws StoreUnavailable;
}
