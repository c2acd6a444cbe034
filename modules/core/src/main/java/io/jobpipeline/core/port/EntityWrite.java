package io.jobpipeline.core.port;

import com.fasterxml.jackson.databind.JsonNode;

/** A domain record a job handler wrote (a vehicle, an inspection): committed with the job's completion, or not at all. */
public record EntityWrite(String kind, String id, JsonNode value) {}
