package io.trainserve.engine;

/**
 * What a plan is checked against: the training data as the network will see it, without the rows.
 *
 * @param rows   training rows (before any validation split)
 * @param input  the input: named features (with categories, so its width is known) or an image shape
 * @param target what the rows predict: class names, or real values (a {@link Target} without rows)
 */
public record DataDescription(int rows, InputSchema input, Target target) {
    public DataDescription {
        target = target.described();
    }

    /** The description of rows already built. */
    public static DataDescription of(Dataset d) {
        return new DataDescription(d.size(), d.inputSchema(), d.target());
    }
}
