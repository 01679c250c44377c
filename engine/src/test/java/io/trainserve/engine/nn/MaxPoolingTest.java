package io.trainserve.engine.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Max pooling's maxima and positions equal their definitions bit for bit: the maximum as
 * {@code Math.max} folds the window's taps in order, the position as the first tap whose bits equal
 * it. Inputs are tie-heavy and hold +0 and -0, -inf (which ties with padding) and NaNs of two
 * payloads, in both precisions, for overlapping, strided, padded and odd-sized windows, and with
 * enough planes to be split over the cores.
 */
class MaxPoolingTest {
    // height, width, kH, kW, sH, sW, same, planes
    @ParameterizedTest
    @CsvSource({
            "26, 26, 2, 2, 2, 2, false, 400",
            "11, 11, 2, 2, 2, 2, false, 9",
            "6, 7, 2, 2, 1, 1, false, 3", // overlapping 2x2 windows
            "5, 5, 2, 2, 2, 2, true, 4", // 2x2 windows with padding: not the 2x2 kernel
            "8, 9, 2, 2, 3, 2, false, 3",
            "7, 9, 3, 3, 1, 1, true, 5",
            "9, 8, 3, 2, 2, 1, true, 6",
            "5, 5, 3, 3, 2, 2, false, 4",
    })
    void matchesDefinition(int h, int w, int kh, int kw, int sh, int sw, boolean same, int planes) {
        PatchIndex index = new PatchIndex(1, h, w, kh, kw, sh, sw, same);
        MaxPooling pooling = new MaxPooling(index);
        int windows = index.windows, taps = index.taps, size = index.sampleSize;
        int[] src = index.sources();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            boolean floats = type == DataType.FLOAT;
            Random rng = new Random(h * 31L + w + kh + planes);
            INDArray x = Nd4j.create(type, planes, h, w);
            for (long i = 0; i < x.length(); i++) {
                if (floats) x.data().put(i, value(rng)); else x.data().put(i, (double) value(rng));
            }
            if (!floats) x.data().put(3, Double.longBitsToDouble(0xfff8000000000001L)); // a second NaN payload
            INDArray out = Nd4j.create(type, planes, windows);
            int[] at = new int[planes * windows];
            pooling.forward(x, planes, out, at);
            INDArray inferred = Nd4j.create(type, planes, windows);
            pooling.forward(x, planes, inferred, null);
            for (int q = 0; q < planes; q++) {
                for (int p = 0; p < windows; p++) {
                    long bestBits = 0;
                    double best = 0;
                    for (int k = 0; k < taps; k++) {
                        int o = src[k * windows + p];
                        double v = o == index.padSlot ? Double.NEGATIVE_INFINITY : x.getDouble((long) q * size + o);
                        if (floats) {
                            float f = o == index.padSlot ? Float.NEGATIVE_INFINITY : x.getFloat((long) q * size + o);
                            float m = k == 0 ? f : Math.max((float) best, f);
                            best = m;
                            bestBits = Float.floatToRawIntBits(m);
                        } else {
                            best = k == 0 ? v : Math.max(best, v);
                            bestBits = Double.doubleToRawLongBits(best);
                        }
                    }
                    int expectedAt = -1;
                    for (int k = 0; k < taps && expectedAt < 0; k++) {
                        int o = src[k * windows + p];
                        long bits = floats ? Float.floatToRawIntBits(o == index.padSlot ? Float.NEGATIVE_INFINITY : x.getFloat((long) q * size + o))
                                : Double.doubleToRawLongBits(o == index.padSlot ? Double.NEGATIVE_INFINITY : x.getDouble((long) q * size + o));
                        if (bits == bestBits) expectedAt = o;
                    }
                    long actualBits = floats ? Float.floatToRawIntBits(out.getFloat((long) q * windows + p))
                            : Double.doubleToRawLongBits(out.getDouble((long) q * windows + p));
                    long inferredBits = floats ? Float.floatToRawIntBits(inferred.getFloat((long) q * windows + p))
                            : Double.doubleToRawLongBits(inferred.getDouble((long) q * windows + p));
                    assertThat(actualBits).as("%s max plane %d window %d", type, q, p).isEqualTo(bestBits);
                    assertThat(inferredBits).as("%s inference max plane %d window %d", type, q, p).isEqualTo(bestBits);
                    assertThat(at[q * windows + p]).as("%s position plane %d window %d", type, q, p).isEqualTo(expectedAt);
                }
            }
        }
    }

    /**
     * 2×2 windows of non-negative values compare bits as ints; a NaN among them must still win, the
     * first of two NaN payloads in window order (the larger payload comes second here), as Math.max.
     */
    @Test
    void twoByTwoWindowsOfNonNegativeValuesKeepTheFirstNaN() {
        MaxPooling pooling = new MaxPooling(new PatchIndex(1, 2, 6, 2, 2, 2, 2, false));
        float nan1 = Float.intBitsToFloat(0x7fc00001), nan2 = Float.intBitsToFloat(0x7fc00002);
        float[] plane = {
                1f, nan1, 0f, Float.POSITIVE_INFINITY, 0f, 5f,
                2f, nan2, 0f, 3f, 5f, 5f};
        INDArray x = Nd4j.create(plane, new long[]{1, 2, 6}, 'c');
        INDArray out = Nd4j.create(DataType.FLOAT, 1, 3);
        int[] at = new int[3];
        pooling.forward(x, 1, out, at);
        assertThat(Float.floatToRawIntBits(out.getFloat(0))).isEqualTo(0x7fc00001);
        assertThat(out.getFloat(1)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(out.getFloat(2)).isEqualTo(5f);
        assertThat(at).containsExactly(1, 3, 5); // the first of the tied 5s
    }

    /** Few distinct values, so windows often tie. */
    private static float value(Random rng) {
        return switch (rng.nextInt(10)) {
            case 0, 1 -> 0f;
            case 2, 3 -> -0f;
            case 4 -> Float.NEGATIVE_INFINITY;
            case 5 -> -1.5f;
            case 6 -> 2.25f;
            case 7 -> rng.nextInt(50) == 0 ? Float.intBitsToFloat(rng.nextBoolean() ? 0x7fc00000 : 0xffc00001) : 1f;
            default -> (float) rng.nextGaussian();
        };
    }
}
