package io.trainserve.engine.preprocess;

/**
 * Scales rows on their way into a network's input, a few kilobytes at a time, into a chunk that
 * stays in L1. Rows are copied into the chunk first and scaled in place against scale and shift
 * tiled to the chunk's length, so the loop indexes every array alike: the JDK 17 JIT vectorizes
 * only loops whose arrays share one index offset, and the direct row-by-row loop ran 4x slower
 * (43 µs against 11 µs for 128 images of 784 pixels). Not thread-safe: one per caller.
 */
public final class ScalingStage {
    /** Floats per chunk when rows are narrower than this (whole rows always). */
    static final int CHUNK = 4096;
    private final int width;
    private final float[] chunk, scale, shift;

    /** @param rows most rows staged at once that a caller will need (the chunk holds fewer if they are many) */
    ScalingStage(float[] scale, float[] shift, int rows) {
        width = Math.max(1, scale.length);
        int length = width * Math.max(1, Math.min(rows, CHUNK / width));
        chunk = new float[length];
        this.scale = new float[length];
        this.shift = new float[length];
        for (int at = 0; at < length; at += width) {
            System.arraycopy(scale, 0, this.scale, at, scale.length);
            System.arraycopy(shift, 0, this.shift, at, shift.length);
        }
    }

    /**
     * Scales the whole rows from element {@code at} of {@code rows}, up to element {@code to}, into
     * {@link #chunk()} as far as it holds them.
     *
     * @return the number of elements staged (whole rows)
     */
    public int stage(float[] rows, int at, int to) {
        int length = Math.min(chunk.length, to - at);
        System.arraycopy(rows, at, chunk, 0, length);
        scaleChunk(length);
        return length;
    }

    /**
     * Scales whole rows {@code rows[from], rows[from + 1], ...} of the row-major {@code data}, up to
     * {@code count} of them, into {@link #chunk()} one after another, as many as it holds.
     *
     * @return the number of rows staged
     */
    public int stageRows(float[] data, int[] rows, int from, int count) {
        int n = Math.min(count, chunk.length / width);
        for (int r = 0; r < n; r++) System.arraycopy(data, rows[from + r] * width, chunk, r * width, width);
        scaleChunk(n * width);
        return n;
    }

    private void scaleChunk(int length) {
        float[] c = chunk, s = scale, t = shift;
        for (int i = 0; i < length; i++) c[i] = c[i] * s[i] + t[i];
    }

    /** The staged elements, valid until the next {@link #stage}. */
    public float[] chunk() {
        return chunk;
    }
}
