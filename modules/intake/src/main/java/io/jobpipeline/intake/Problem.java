package io.jobpipeline.intake;

import io.jobpipeline.core.contract.Violation;
import java.util.List;

/** An RFC 9457 problem document; {@code errors} lists every violation of a validation problem. */
public record Problem(String type, String title, int status, String detail, String instance, List<Violation> errors) {
    private static final String BASE = "https://jobpipeline.io/problems/";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(BASE + slug, title, status, detail, null, null);
    }

    public static Problem invalid(int status, String slug, String title, String detail, List<Violation> errors) {
        return new Problem(BASE + slug, title, status, detail, null, List.copyOf(errors));
    }
}
