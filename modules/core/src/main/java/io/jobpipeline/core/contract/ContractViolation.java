package io.jobpipeline.core.contract;

import java.util.List;

/** A request that breaks the contracts; {@code unknownType} separates "no such job type" from a bad payload. */
public final class ContractViolation extends Exception {
    private final List<Violation> violations;

    public ContractViolation(String message, List<Violation> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
