import io.jobpipeline.local.LocalOptions;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.coldstart.FreshJvm;
import io.jobpipeline.local.coldstart.FunctionFixtures;
import io.jobpipeline.local.template.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Run: {@code bench/coldstart/run [--runs N]} (see bench/README.md).
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
            System.out.printf(Locale.ROOT, "%-22s %-34s %8s %8s %8s %8s %8s %8s%n", "function", "variant", "median", "p90",
                    "jvm", "init", "invoke", "ratio");
            double reference = 0;
            for (FunctionSpec f : functions.values()) {
                if (!only.isEmpty() && !only.contains(f.logicalId())) {
                    continue;
                }
                Path jar = root.resolve("modules/" + module(f) + "/target/" + module(f) + "-lambda.jar");
                Map<String, String> env = fixtures.environment(f);
                if (f.logicalId().equals("IntakeFunction")) {
                    List<Path> cp = referenceClassPath(root);
                    reference = report(f, "reference (sample style, Apache)", 0, measure(jvm, f, fixtures, cp,
                            "SampleIntakeHandler", env, List.of("-Dsoftware.amazon.awssdk.http.service.impl="
                                    + "software.amazon.awssdk.http.apache.ApacheSdkHttpService"), false, runs));
                }
                double ratioBase = f.logicalId().equals("IntakeFunction") ? reference : 0;
                report(f, "lean (URLConnection, static init)", ratioBase, measure(jvm, f, fixtures, List.of(jar), f.handlerClass(), env, List.of(), false, runs));
                Path jsa = work.resolve(f.logicalId() + ".jsa");
                jvm.launch(List.of(jar), f.handlerClass(), f.memoryMb(), env, fixtures.next(f).event(), List.of("-XX:ArchiveClassesAtExit=" + jsa), false);
                trained(jsa);
                report(f, "lean + AppCDS", ratioBase, measure(jvm, f, fixtures, List.of(jar), f.handlerClass(), env, List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:on"), false, runs));
                Path aot = work.resolve(f.logicalId() + ".aot");
                jvm.launch(List.of(jar), f.handlerClass(), f.memoryMb(), env, fixtures.next(f).event(), List.of("-XX:AOTCacheOutput=" + aot), false);
                trained(aot);
                report(f, "lean + AOT cache (JDK 25)", ratioBase, measure(jvm, f, fixtures, List.of(jar), f.handlerClass(), env, List.of("-XX:AOTCache=" + aot, "-XX:AOTMode=on"), false, runs));
                report(f, "lean, primed (SnapStart approx.)", 0, measure(jvm, f, fixtures, List.of(jar), f.handlerClass(), env, List.of(), true, runs));
                System.out.printf(Locale.ROOT, "%-22s jar %.2f MB%n", f.logicalId(), Files.size(jar) / 1e6);
            }
            System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; load average %s at start, %s at end; %d runs per row;"
                    + " ms; ratio = median / reference median%n", Runtime.getRuntime().availableProcessors(),
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

    private static FreshJvm.Run[] measure(FreshJvm jvm, FunctionSpec f, FunctionFixtures fixtures, List<Path> cp, String handler,
                                          Map<String, String> env, List<String> flags, boolean prime, int runs) {
        FreshJvm.Run[] all = new FreshJvm.Run[runs];
        for (int i = 0; i < runs; i++) {
            all[i] = jvm.launch(cp, handler, f.memoryMb(), env, fixtures.next(f).event(), flags, prime);
            if (!all[i].answer().contains("202") && !all[i].answer().contains("batchItemFailures\":[]") && !all[i].answer().equals("null")) {
                throw new IllegalStateException(f.logicalId() + " answered " + all[i].answer());
            }
        }
        return all;
    }

    /** Prints median and p90 of the whole process, and medians of its parts; returns the median. */
    private static double report(FunctionSpec f, String variant, double reference, FreshJvm.Run[] runs) {
        double[] total = Arrays.stream(runs).mapToDouble(FreshJvm.Run::totalMs).sorted().toArray();
        double median = percentile(total, 50);
        System.out.printf(Locale.ROOT, "%-22s %-34s %8.0f %8.0f %8.0f %8.0f %8.0f %8s%n", f.logicalId(), variant, median,
                percentile(total, 90), med(runs, FreshJvm.Run::jvmMs), med(runs, FreshJvm.Run::initMs),
                med(runs, FreshJvm.Run::invokeMs), reference > 0 ? String.format(Locale.ROOT, "%.2fx", median / reference) : "");
        return median;
    }

    private static double med(FreshJvm.Run[] runs, java.util.function.ToDoubleFunction<FreshJvm.Run> part) {
        return percentile(Arrays.stream(runs).mapToDouble(part).sorted().toArray(), 50);
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
