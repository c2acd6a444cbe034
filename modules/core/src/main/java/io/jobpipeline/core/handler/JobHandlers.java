package io.jobpipeline.core.handler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The handlers a worker runs, by job type. */
public final class JobHandlers {
    private final Map<String, JobHandler<?, ?>> byType;

    public JobHandlers(List<JobHandler<?, ?>> handlers) {
        this.byType = handlers.stream().collect(Collectors.toUnmodifiableMap(JobHandler::type, Function.identity()));
    }

    public Optional<JobHandler<?, ?>> forType(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public java.util.Set<String> types() {
        return byType.keySet();
    }
}
