package io.trainserve.engine.spec;

/** One thing wrong with a spec: which field (JSON path), what was given, what is allowed. */
public record Violation(String field, String given, String allowed) {
    public String message() {
        return field + ": given " + given + "; allowed: " + allowed;
    }
}
