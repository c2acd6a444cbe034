package io.jobpipeline.local.coldstart;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Starts a handler in a fresh JVM with Lambda's JVM flags and a class path of its deployment jar and the bench's
 * {@code LambdaLauncher} only, invokes it once and times the whole process, start to answer. Shared by
 * DeploymentJarsTest (does each jar start alone and answer?) and bench/coldstart (how fast?).
 */
public final class FreshJvm {
    /** What the java21 runtime starts a function with when JAVA_TOOL_OPTIONS asks for C1 only, as template.yaml does. */
    public static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
    private static final Pattern LINE = Pattern.compile(
            "COLDSTART init=([0-9.]+) prime=([0-9.]+) invoke=([0-9.]+) cpu=(-?[0-9.]+) answer=(.*)");

    /**
     * One invocation: the whole process (start to answer) and the launcher's own split of it, in milliseconds, the
     * process's CPU time until the answer (-1 where /proc is missing), the answer, and what the process printed
     * before it (the handler's log lines).
     */
    public record Run(double totalMs, double initMs, double primeMs, double invokeMs, double cpuMs, String answer, String output) {
        /** JVM start, class path opening and the launcher, before the handler's class is touched. */
        public double jvmMs() {
            return totalMs - initMs - primeMs - invokeMs;
        }
    }

    private final Path java;
    private final Path launcherJar;

    private FreshJvm(Path java, Path launcherJar) {
        this.java = java;
        this.launcherJar = launcherJar;
    }

    /**
     * Compiles {@code bench/coldstart/LambdaLauncher.java} against {@code jar} (it needs Jackson and the Lambda core
     * interfaces, which every deployment jar carries) into a jar of its own: class data sharing archives classes
     * from jars only (a non-empty directory on the class path makes the dump fail).
     */
    public static FreshJvm compile(Path repositoryRoot, Path jar, Path java) {
        try {
            Path dir = Files.createTempDirectory("lambda-launcher");
            Path source = repositoryRoot.resolve("bench/coldstart/LambdaLauncher.java");
            int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21", "-proc:none",
                    "-cp", jar.toString(), "-d", dir.toString(), source.toString());
            if (rc != 0) {
                throw new IllegalStateException("javac " + source + " failed (" + rc + ")");
            }
            Path launcher = dir.resolve("lambda-launcher.jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(launcher)); Stream<Path> classes = Files.list(dir)) {
                for (Path c : classes.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    out.putNextEntry(new JarEntry(c.getFileName().toString()));
                    out.write(Files.readAllBytes(c));
                    out.closeEntry();
                }
            }
            return new FreshJvm(java, launcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The java of this JVM. */
    public static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public FreshJvm withJava(Path otherJava) {
        return new FreshJvm(otherJava, launcherJar);
    }

    /**
     * Runs {@code handler} from {@code classPath} on {@code event} with Lambda's flags, {@code -Xmx<memoryMb>m} and
     * {@code extraFlags}; {@code prime} runs its SnapStart hook between init and the invocation.
     */
    public Run launch(List<Path> classPath, String handler, int memoryMb, Map<String, String> environment, Path event,
                      List<String> extraFlags, boolean prime) {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(LAMBDA_FLAGS);
        command.add("-Xmx" + memoryMb + "m");
        command.addAll(extraFlags);
        List<String> entries = new ArrayList<>(classPath.stream().map(Path::toString).toList());
        entries.add(launcherJar.toString());
        command.addAll(List.of("-cp", String.join(File.pathSeparator, entries), "LambdaLauncher", handler, event.toString()));
        if (prime) {
            command.add("--prime");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear(); // the function sees its own environment only, as in Lambda
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        StringBuilder output = new StringBuilder();
        try {
            long start = System.nanoTime();
            Process process = builder.start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    Matcher m = LINE.matcher(line);
                    if (m.matches()) {
                        double total = (System.nanoTime() - start) / 1e6;
                        process.waitFor(30, TimeUnit.SECONDS);
                        return new Run(total, Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                                Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)), m.group(5), output.toString());
                    }
                    output.append(line).append('\n');
                }
            }
            int rc = process.waitFor();
            throw new IllegalStateException(handler + " did not answer (exit " + rc + "): " + String.join(" ", command)
                    + "\n" + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
