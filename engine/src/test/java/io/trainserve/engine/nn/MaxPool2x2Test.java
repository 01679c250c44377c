package io.trainserve.engine.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 2×2 stride-2 pooling loops give exactly what the generic window loops give: maxima, winning
 * positions (first tap on ties, including ties between +0 and -0 and whole windows of equal
 * values) and input gradients, bit for bit, in both precisions, for odd planes whose last row and
 * column belong to no window, and with enough planes to be split over the cores.
 */
class MaxPool2x2Test {
    // height, width, planes, "same" padding (even sizes need none, so the special case applies)
    @ParameterizedTest
    @CsvSource({
            "11, 11, 7, false",
            "26, 26, 400, false",
            "4, 6, 3, false",
            "5, 4, 9, false",
            "2, 3, 2, false",
            "8, 10, 5, true",
            "13, 13, 900, false",
    })
    void matchesGenericPooling(int h, int w, int planes, boolean same) {
        PoolingKernel special = PoolingKernel.of(h, w, 2, 2, 2, 2, same);
        assertThat(special).isInstanceOf(MaxPool2x2.class);
        MaxPooling generic = new MaxPooling(new PatchIndex(1, h, w, 2, 2, 2, 2, same));
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            Random rng = new Random(h * 100L + w + planes);
            INDArray x = Nd4j.create(type, planes, h, w);
            for (long i = 0; i < x.length(); i++) x.putScalar(i, value(rng));
            int windows = (h / 2) * (w / 2);
            INDArray outS = Nd4j.create(type, planes, h / 2, w / 2), outG = outS.dup();
            int[] atS = new int[planes * windows], atG = new int[planes * windows];
            special.forward(x, planes, outS, atS);
            generic.forward(x, planes, outG, atG);
            assertThat(bits(outS)).as("maxima " + type).isEqualTo(bits(outG));
            assertThat(atS).as("positions " + type).isEqualTo(atG);

            INDArray inferred = outS.dup().assign(7);
            special.forward(x, planes, inferred, null);
            assertThat(bits(inferred)).as("inference maxima " + type).isEqualTo(bits(outG));

            INDArray eps = outS.dup();
            for (long i = 0; i < eps.length(); i++) eps.putScalar(i, rng.nextGaussian());
            INDArray dxS = x.dup().assign(5), dxG = x.dup().assign(-5); // stale values must be overwritten
            special.backward(eps, planes, atS, dxS);
            generic.backward(eps, planes, atG, dxG);
            assertThat(bits(dxS)).as("dx " + type).isEqualTo(bits(dxG));
        }
    }

    @ParameterizedTest
    @CsvSource({"3, 3, 1, 2, false", "3, 3, 2, 2, true", "6, 6, 3, 3, false", "6, 6, 2, 1, false", "1, 6, 2, 2, false"})
    void otherGeometriesStayGeneric(int h, int w, int k, int s, boolean same) {
        assertThat(PoolingKernel.of(h, w, k, k, s, s, same)).isInstanceOf(MaxPooling.class);
    }

    /** Few distinct values, so windows often tie; signed zeros and negatives included. */
    private static double value(Random rng) {
        return switch (rng.nextInt(6)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> -1.5;
            case 3 -> 2.25;
            default -> rng.nextGaussian();
        };
    }

    private static long[] bits(INDArray a) {
        long[] b = new long[(int) a.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = a.dataType() == DataType.FLOAT ? Float.floatToRawIntBits(a.getFloat(i)) : Double.doubleToRawLongBits(a.getDouble(i));
        }
        return b;
    }
}
