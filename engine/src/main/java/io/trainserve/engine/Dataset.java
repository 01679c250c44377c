package io.trainserve.engine;

import java.util.Objects;

/**
 * Rows ready for a network: raw (unscaled) float32 features, row-major {@code size x width}, with
 * categorical columns already one-hot expanded, plus the target. Scaling is not applied here: it is
 * fitted on the training split and applied by the trained model.
 */
public final class Dataset {
    private final float[] features;
    private final int size;
    private final InputSchema inputSchema;
    private final Target target;
    private final String checksum;

    public Dataset(float[] features, int size, InputSchema inputSchema, Target target, String checksum) {
        this.features = Objects.requireNonNull(features);
        this.size = size;
        this.inputSchema = Objects.requireNonNull(inputSchema);
        this.target = Objects.requireNonNull(target);
        this.checksum = checksum == null ? "" : checksum;
        if ((long) size * inputSchema.width() != features.length) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected "
                    + size + " rows x " + inputSchema.width());
        }
    }

    public int size() { return size; }

    public int width() { return inputSchema.width(); }

    public float[] features() { return features; }

    public InputSchema inputSchema() { return inputSchema; }

    public Target target() { return target; }

    /** SHA-256 (hex) of the source file(s), recorded in model provenance. */
    public String checksum() { return checksum; }

    public Dataset subset(int[] rows) {
        int w = width();
        float[] picked = new float[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * w, picked, i * w, w);
        }
        return new Dataset(picked, rows.length, inputSchema, target.subset(rows), checksum);
    }
}
