import io.jobpipeline.local.chaos.ChaosReport;
import io.jobpipeline.local.chaos.ChaosSettings;
import io.jobpipeline.local.chaos.ChaosSoak;
import io.jobpipeline.local.chaos.JobsDeadLetterReplay;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Does the pipeline lose or double anything when AWS misbehaves? N jobs (default 10,000) of both types through an
 * in-process local stack from template.yaml while DynamoDB throttles, PutEvents fails entries, SQS receives fail,
 * worker invocations die mid-batch, batches are delivered twice and the analytics consumer cannot write for a while;
 * a share of the jobs is poison. Then the faults stop, the poison's cause is fixed, the dead letters are replayed, and
 * the stored state is audited. Seeded: the same --seed makes the same jobs and the same fault decisions.
 *
 * <p>Run: {@code bench/chaos/run [--jobs N] [--seed S]} (see bench/README.md).
 */
public class ChaosBench {
    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(arg(args, "--jobs", "10000"));
        long seed = Long.parseLong(arg(args, "--seed", "42"));
        Path template = Path.of(arg(args, "--template", "template.yaml"));
        if (!Files.isRegularFile(template)) {
            System.err.println("no template at " + template.toAbsolutePath() + "; run from the repository root or pass --template");
            System.exit(2);
        }
        ChaosReport report = new ChaosSoak(ChaosSettings.defaults(jobs, seed), System.err, JobsDeadLetterReplay.cli())
                .run(template);
        report.print(System.out);
        System.out.flush();
        System.exit(report.clean() ? 0 : 1); // also stops the emulators' non-daemon threads
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
