package io.jobpipeline.cli;

import java.util.List;

/** An expected failure: printed as its lines on stderr, no stack trace, and the command exits with {@code exitCode}. */
public final class CliFailure extends RuntimeException {
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private final int exitCode;
    private final List<String> lines;

    CliFailure(int exitCode, List<String> lines) {
        super(String.join("\n", lines), null, false, false);
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    public static CliFailure failed(String line) {
        return new CliFailure(FAILED, List.of("error: " + line));
    }

    public static CliFailure usage(String line) {
        return new CliFailure(USAGE, List.of("error: " + line));
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> lines() {
        return lines;
    }
}
