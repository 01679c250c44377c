package io.trainserve.engine.nn;

/** What the output layer must produce: {@code classCount} classes, or one real value (classCount 0). */
public record TargetKind(String column, boolean classification, int classCount, java.util.List<String> classNames) {
    public static TargetKind classes(String column, java.util.List<String> names) {
        return new TargetKind(column, true, names.size(), names);
    }

    public static TargetKind value(String column) {
        return new TargetKind(column, false, 0, java.util.List.of());
    }
}
