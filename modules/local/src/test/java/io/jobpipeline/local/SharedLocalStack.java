package io.jobpipeline.local;

import java.nio.file.Path;

/** One local stack per test JVM: starting the emulators costs seconds, so every test shares this one. */
public final class SharedLocalStack {
    public static final Path TEMPLATE = Path.of("../../template.yaml");
    private static LocalPipeline pipeline;

    private SharedLocalStack() {}

    public static synchronized LocalPipeline get() {
        if (pipeline == null) {
            try {
                pipeline = LocalPipeline.start(LocalOptions.ephemeral(TEMPLATE));
            } catch (Exception e) {
                throw new IllegalStateException("the local stack did not start: " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close));
        }
        return pipeline;
    }
}
