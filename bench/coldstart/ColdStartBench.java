import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.coldstart.FreshJvm;
import io.jobpipeline.local.coldstart.FunctionFixtures;
import io.jobpipeline.local.template.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cold start per handler: N fresh JVMs per variant, Lambda's flags, -Xmx of the template's MemorySize, class path of
 * the deployment jar and the launcher only, timed from process start to the first answer against a local stack.
 * Variants: the sample-style reference (intake only), the lean handler as shipped, + AppCDS, + the JDK's AOT cache,
 * and primed (the SnapStart hook run before the first invocation in the same JVM: an approximation, not SnapStart).
 *
 * <p>Run: {@code bench/coldstart/run [--runs N] [--functions IntakeFunction,WorkerFunction]} (see the README, Performance).
 */
public class ColdStartBench {
    public static void main(String[] args) throws Exception {
        int runs = 7;
        List<String> only = List.of();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--functions" -> only = List.of(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("usage: bench/coldstart/run [--runs N] [--functions Id,Id]");
            }
        }
        String loadBefore = load();
        Path root = Path.of("").toAbsolutePath();
        Path work = Files.createTempDirectory("coldstart");
        try (LocalPipeline stack = LocalPipeline.start(LocalOptions.ephemeral(root.resolve("template.yaml")))) {
            FunctionFixtures fixtures = new FunctionFixtures(stack, work);
            Map<String, FunctionSpec> functions = stack.template().functions();
            Path intakeJar = root.resolve("modules/intake/target/intake-lambda.jar");
            FreshJvm jvm = FreshJvm.compile(root, intakeJar, FreshJvm.thisJava());
            System.out.printf(Locale.ROOT, "%-22s %-34s %8s %8s %8s %8s %8s %8s %8s%n", "function", "variant", "median", "p90",
                    "jvm", "init", "invoke", "cpu", "ratio");
            Variant reference = null;
            for (FunctionSpec f : functions.values()) {
                if (!only.isEmpty() && !only.contains(f.logicalId())) {
                    continue;
                }
                Path jar = root.resolve("modules/" + module(f) + "/target/" + module(f) + "-lambda.jar");
                Map<String, String> env = fixtures.environment(f);
                Path jsa = work.resolve(f.logicalId() + ".jsa");
                jvm.launch(List.of(jar), f.handlerClass(), f.memoryMb(), env, fixtures.next(f).event(), List.of("-XX:ArchiveClassesAtExit=" + jsa), false);
                trained(jsa);
                Path aot = work.resolve(f.logicalId() + ".aot");
                jvm.launch(List.of(jar), f.handlerClass(), f.memoryMb(), env, fixtures.next(f).event(), List.of("-XX:AOTCacheOutput=" + aot), false);
                trained(aot);
                List<Variant> variants = new ArrayList<>();
                boolean intake = f.logicalId().equals("IntakeFunction");
                if (intake) {
                    reference = new Variant("reference (sample style, Apache)", referenceClassPath(root), "SampleIntakeHandler",
                            List.of("-Dsoftware.amazon.awssdk.http.service.impl=software.amazon.awssdk.http.apache.ApacheSdkHttpService"), false);
                    variants.add(reference);
                }
                variants.add(new Variant("lean (URLConnection, static init)", List.of(jar), f.handlerClass(), List.of(), false));
                variants.add(new Variant("lean + AppCDS", List.of(jar), f.handlerClass(), List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:on"), false));
                variants.add(new Variant("lean + AOT cache (JDK 25)", List.of(jar), f.handlerClass(), List.of("-XX:AOTCache=" + aot, "-XX:AOTMode=on"), false));
                variants.add(new Variant("lean, primed (SnapStart approx.)", List.of(jar), f.handlerClass(), List.of(), true));
                // Round by round, every variant once: a burst of load on the shared machine hits all rows alike.
                for (int i = 0; i < runs; i++) {
                    for (Variant v : variants) {
                        v.runs.add(measure(jvm, f, fixtures, v, env));
                    }
                }
                double base = intake ? median(reference.runs, FreshJvm.Run::totalMs) : 0;
                double baseCpu = intake ? median(reference.runs, FreshJvm.Run::cpuMs) : 0;
                for (Variant v : variants) {
                    report(f, v, v == reference || v.prime ? 0 : base, v == reference || v.prime ? 0 : baseCpu);
                }
                System.out.printf(Locale.ROOT, "%-22s jar %.2f MB%n", f.logicalId(), Files.size(jar) / 1e6);
            }
            System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; load average %s at start, %s at end; %d runs per row;"
                    + " ms; cpu = the process's CPU time to the answer;"
                    + " ratio = median / reference median (cpu ratio in brackets)%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"), loadBefore, load(), runs);
        }
        System.exit(0);
    }

    /** The 1-minute load average (Linux), or "?": the machine is shared, so the figures say how busy it was. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** A training run that wrote no archive would time a JVM without it: stop instead. */
    private static void trained(Path archive) throws Exception {
        if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
            throw new IllegalStateException("the training run wrote no " + archive);
        }
    }

    private static String module(FunctionSpec f) {
        return f.handlerClass().split("\\.")[2];
    }

    /** One row: a class path, handler and flags, and the runs measured for it. */
    private record Variant(String name, List<Path> classPath, String handler, List<String> flags, boolean prime, List<FreshJvm.Run> runs) {
        Variant(String name, List<Path> classPath, String handler, List<String> flags, boolean prime) {
            this(name, classPath, handler, flags, prime, new ArrayList<>());
        }
    }

    private static FreshJvm.Run measure(FreshJvm jvm, FunctionSpec f, FunctionFixtures fixtures, Variant v, Map<String, String> env) {
        FreshJvm.Run run = jvm.launch(v.classPath, v.handler, f.memoryMb(), env, fixtures.next(f).event(), v.flags, v.prime);
        if (!run.answer().contains("202") && !run.answer().contains("batchItemFailures\":[]") && !run.answer().equals("null")) {
            throw new IllegalStateException(f.logicalId() + " answered " + run.answer());
        }
        return run;
    }

    /** Prints median and p90 of the whole process, medians of its parts and of its CPU time, and the ratios. */
    private static void report(FunctionSpec f, Variant v, double reference, double referenceCpu) {
        double[] total = v.runs.stream().mapToDouble(FreshJvm.Run::totalMs).sorted().toArray();
        double median = percentile(total, 50);
        double cpu = median(v.runs, FreshJvm.Run::cpuMs);
        System.out.printf(Locale.ROOT, "%-22s %-34s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %s%n", f.logicalId(), v.name, median,
                percentile(total, 90), median(v.runs, FreshJvm.Run::jvmMs), median(v.runs, FreshJvm.Run::initMs),
                median(v.runs, FreshJvm.Run::invokeMs), cpu,
                reference > 0 ? String.format(Locale.ROOT, "%.2fx (%.2fx)", median / reference, cpu / referenceCpu) : "");
    }

    private static double median(List<FreshJvm.Run> runs, java.util.function.ToDoubleFunction<FreshJvm.Run> part) {
        return percentile(runs.stream().mapToDouble(part).sorted().toArray(), 50);
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** The reference's jars: the SDK's as Maven resolves them (from the local module's lib), Apache instead of URLConnection. */
    private static List<Path> referenceClassPath(Path root) throws Exception {
        List<Path> cp = new ArrayList<>(List.of(root.resolve("bench/coldstart/reference/target/classes")));
        String sdk = "annotations|auth|aws-core|aws-json-protocol|checksums|checksums-spi|dynamodb|endpoints-spi|http-auth|"
                + "http-auth-aws|http-auth-aws-eventstream|http-auth-spi|http-client-spi|identity-spi|json-utils|metrics-spi|"
                + "profiles|protocol-core|regions|retries|retries-spi|sdk-core|sqs|third-party-jackson-core|utils|utils-lite|"
                + "apache-client|httpclient|httpcore|commons-codec|commons-logging|eventstream|reactive-streams|slf4j-api|"
                + "jackson-annotations|jackson-core|jackson-databind|aws-lambda-java-core|aws-lambda-java-events";
        try (Stream<Path> lib = Files.list(root.resolve("bench/coldstart/reference/target/lib"))) {
            lib.filter(p -> p.getFileName().toString().matches("(" + sdk + ")-[0-9].*\\.jar")).forEach(cp::add);
        }
        return cp;
    }
}
