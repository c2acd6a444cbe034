package io.jobpipeline.local.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The {@code Limit} / {@code NextToken} paging of the List operations (the token is an opaque offset here). */
final class ListPage {

    private ListPage() {
    }

    /** The page of {@code all} the request asks for; puts {@code NextToken} into {@code response} if more follow. */
    static <T> List<T> of(List<T> all, JsonNode request, ObjectNode response) {
        int start = 0;
        String token = BusJson.optionalText(request, "NextToken");
        if (token != null) {
            try {
                start = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw BusApiException.validation("Invalid NextToken: " + token);
            }
        }
        int limit = request.path("Limit").asInt(100);
        if (limit < 1 || limit > 100) {
            throw BusApiException.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must be between 1 and 100");
        }
        int end = Math.min(all.size(), start + limit);
        if (end < all.size()) {
            response.put("NextToken", Integer.toString(end));
        }
        return all.subList(Math.min(start, end), end);
    }
}
