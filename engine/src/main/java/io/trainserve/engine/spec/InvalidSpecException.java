package io.trainserve.engine.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec (or its fit to the data) is wrong; nothing was trained. Carries every violation found. */
public class InvalidSpecException extends RuntimeException {
    private final transient List<Violation> violations;

    public InvalidSpecException(List<Violation> violations) {
        super(violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public InvalidSpecException(String field, Object given, String allowed) {
        this(List.of(new Violation(field, String.valueOf(given), allowed)));
    }

    public List<Violation> violations() {
        return violations;
    }
}
