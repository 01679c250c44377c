package io.trainserve.engine.nn;

/**
 * Where every tap of every sliding window reads in one c-ordered CHW sample: the geometry behind
 * im2col, col2im and max pooling, computed once per layer so the padding rules live in one place
 * and the per-step loops only look offsets up. A padding tap reads {@link #padSlot}, one element
 * past the sample, which the kernels fill with the padding value (0 for convolutions, -inf for max
 * pooling) so their loops need no test for it. Tap {@code k = (c * kH + i) * kW + j} (the order of
 * a {@code [oC, iC, kH, kW]} kernel's row), window {@code p = oy * outW + ox}. Padding "same" is
 * Keras': total {@link ConvGeometry#samePadding}, the odd pixel after (bottom/right).
 */
final class PatchIndex {
    /** Taps per window: channels × kH × kW. */
    final int taps;
    /** Windows per sample: outH × outW. */
    final int windows;
    /** Windows per output row: outW. */
    final int outWidth;
    /** Elements of one input sample: channels × height × width. */
    final int sampleSize;
    /** Offset read by padding taps: {@code sampleSize}, just past the sample. */
    final int padSlot;
    /** {@code [taps × windows]}, tap-major: the offset in the sample, or {@link #padSlot}. */
    private final int[] source;

    PatchIndex(int channels, int height, int width, int kH, int kW, int sH, int sW, boolean same) {
        this(channels, height, width, kH, kW, sH, sW, same, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Only the windows of the first {@code rows × columns} output positions (the ones a pooling layer above reads). */
    PatchIndex(int channels, int height, int width, int kH, int kW, int sH, int sW, boolean same, int rows, int columns) {
        int outH = Math.min(rows, ConvGeometry.outSize(height, kH, sH, same));
        int outW = Math.min(columns, ConvGeometry.outSize(width, kW, sW, same));
        int padTop = same ? ConvGeometry.samePadding(height, kH, sH) / 2 : 0;
        int padLeft = same ? ConvGeometry.samePadding(width, kW, sW) / 2 : 0;
        taps = channels * kH * kW;
        windows = outH * outW;
        outWidth = outW;
        sampleSize = channels * height * width;
        padSlot = sampleSize;
        source = new int[taps * windows];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < kH; i++) {
                for (int j = 0; j < kW; j++) {
                    int k = (c * kH + i) * kW + j;
                    for (int oy = 0; oy < outH; oy++) {
                        int y = oy * sH - padTop + i;
                        for (int ox = 0; ox < outW; ox++) {
                            int x = ox * sW - padLeft + j;
                            boolean inside = y >= 0 && y < height && x >= 0 && x < width;
                            source[k * windows + oy * outW + ox] = inside ? (c * height + y) * width + x : padSlot;
                        }
                    }
                }
            }
        }
    }

    /** The table itself (read-only by convention), {@code source[k * windows + p]}. */
    int[] sources() {
        return source;
    }
}
