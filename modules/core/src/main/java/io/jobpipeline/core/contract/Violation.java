package io.jobpipeline.core.contract;

/** One thing wrong with a request: where (an RFC 6901 JSON pointer into the body) and what. */
public record Violation(String pointer, String message) {}
