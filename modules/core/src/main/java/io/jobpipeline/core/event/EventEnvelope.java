package io.jobpipeline.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.util.List;

/** The EventBridge envelope as a consumer Lambda receives it; {@code replay-name} is set on archive replays. */
public record EventEnvelope(
        String version,
        String id,
        @JsonProperty("detail-type") String detailType,
        String source,
        String account,
        String time,
        String region,
        List<String> resources,
        JsonNode detail,
        @JsonProperty("replay-name") String replayName) {

    public static EventEnvelope parse(String json) {
        return Json.read(json, EventEnvelope.class);
    }

    public boolean isJobEvent() {
        return JobEvent.SOURCE.equals(source) && JobEvents.isKnown(detailType) && detail != null && detail.isObject();
    }

    public JobEvent jobEvent() {
        return JobEvents.fromDetail(detailType, detail);
    }
}
