package io.jobpipeline.local.template;

/** An HttpApi or Api event: method in upper case (or ANY), path like /jobs/{id}; "$default" for the catch-all. */
public record HttpRoute(String method, String path) {
}
