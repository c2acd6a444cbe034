package io.jobpipeline.local.chaos;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./pipeline up --data DIR} as its own JVM: the same main class on this JVM's class path, every port free
 * (port 0), its output in a file next to the data. {@link #kill} is a SIGKILL: no shutdown hook runs.
 */
final class PipelineProcess implements AutoCloseable {
    private static final Pattern HTTP_API = Pattern.compile("HTTP API\\s+(http://\\S+)");

    private final Process process;
    private final Path log;
    private final URI api;

    private PipelineProcess(Process process, Path log, URI api) {
        this.process = process;
        this.log = log;
        this.api = api;
    }

    static PipelineProcess start(Path template, Path data, String name, Duration patience) throws IOException, InterruptedException {
        Path log = data.resolveSibling(data.getFileName() + "-" + name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.jobpipeline.local.LocalPipeline",
                "--template", template.toString(), "--data", data.toString(),
                "--http-port", "0", "--sqs-port", "0", "--dynamodb-port", "0", "--events-port", "0"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PIPELINE_LOG_LEVEL", "warn");
        Process process = builder.start();
        long end = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < end) {
            String out = Files.exists(log) ? Files.readString(log) : "";
            Matcher http = HTTP_API.matcher(out);
            if (out.contains("Ready in") && http.find()) {
                return new PipelineProcess(process, log, URI.create(http.group(1)));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready:\n" + out);
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " was not ready within " + patience + ":\n" + Files.readString(log));
    }

    URI api() {
        return api;
    }

    /** SIGKILL, as the OOM killer or a pulled plug does it; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed stack is still running");
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
