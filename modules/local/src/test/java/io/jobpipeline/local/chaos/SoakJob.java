package io.jobpipeline.local.chaos;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A job of the soak: what was posted and, once accepted, its id. {@code entityKey} is the partition key of the entity
 * its handler writes (a vehicle, an inspection), whose transactions the worker's wire counts.
 */
record SoakJob(ObjectNode request, String jobId, String entityKey, boolean poison) {
    SoakJob accepted(String id) {
        String key = request.path("type").asText().equals("inspection.submit") ? "INSPECTION#" + id
                : "VEHICLE#" + request.at("/payload/vehicleId").asText();
        return new SoakJob(request, id, key, poison);
    }

    String type() {
        return request.path("type").asText();
    }
}
