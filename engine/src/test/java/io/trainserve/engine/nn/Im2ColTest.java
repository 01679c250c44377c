package io.trainserve.engine.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * im2col and col2im, staged a block of samples at a time, equal their element-by-element
 * definitions bit for bit (col2im summing each input element's entries in tap order), for runs that
 * start inside the batch, counts that leave a partial last block, padding, strides, both precisions,
 * and runs large enough to be split over the cores.
 */
class Im2ColTest {
    // channels, height, width, kH, kW, sH, sW, same, batch, first, count
    @ParameterizedTest
    @CsvSource({
            "1, 28, 28, 3, 3, 1, 1, false, 7, 2, 5",
            "32, 13, 13, 3, 3, 1, 1, false, 30, 3, 27",
            "3, 9, 9, 3, 3, 2, 2, true, 40, 0, 40",
            "2, 7, 8, 2, 3, 1, 2, false, 9, 4, 3",
            "2, 5, 5, 4, 4, 3, 3, true, 33, 1, 31",
            "2, 8, 8, 8, 8, 1, 1, false, 601, 1, 600", // one window per sample: blocks capped by staging size (508), a partial one after
    })
    void matchesDefinition(int c, int h, int w, int kh, int kw, int sh, int sw, boolean same, int batch, int first, int count) {
        PatchIndex index = new PatchIndex(c, h, w, kh, kw, sh, sw, same);
        Im2Col im2col = new Im2Col(index);
        int taps = index.taps, windows = index.windows, size = index.sampleSize, rows = count * windows;
        int[] src = index.sources();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            Random rng = new Random(c * 100L + h + batch);
            INDArray x = Nd4j.create(type, batch, c, h, w);
            for (long i = 0; i < x.length(); i++) x.putScalar(i, rng.nextGaussian());
            INDArray cols = NdArrays.fMatrixView(Nd4j.create(type, (long) rows * taps), rows, taps);
            im2col.unfold(x, first, count, cols, ParallelLoops.MAX_PARTS - 1);
            for (int n = 0; n < count; n++) {
                for (int k = 0; k < taps; k++) {
                    for (int p = 0; p < windows; p++) {
                        int o = src[k * windows + p];
                        double expected = o == index.padSlot ? 0 : x.getDouble((long) (first + n) * size + o);
                        assertThat(cols.getDouble(n * windows + p, k)).as("%s n %d k %d p %d", type, n, k, p).isEqualTo(expected);
                    }
                }
            }

            for (long i = 0; i < cols.length(); i++) cols.putScalar(i, rng.nextGaussian());
            INDArray dx = Nd4j.create(type, batch, c, h, w).assign(3);
            im2col.fold(cols, first, count, dx, 0);
            for (int n = 0; n < batch; n++) {
                double[] sums = new double[size + 1];
                float[] sumsF = new float[size + 1];
                if (n >= first && n < first + count) {
                    for (int k = 0; k < taps; k++) {
                        for (int p = 0; p < windows; p++) {
                            int o = src[k * windows + p];
                            sums[o] += cols.getDouble((n - first) * windows + p, k);
                            sumsF[o] += cols.getFloat((n - first) * windows + p, k);
                        }
                    }
                }
                for (int o = 0; o < size; o++) {
                    boolean inRun = n >= first && n < first + count;
                    double expected = !inRun ? 3 : type == DataType.FLOAT ? sumsF[o] : sums[o];
                    assertThat(dx.getDouble((long) n * size + o)).as("%s dx n %d o %d", type, n, o).isEqualTo(expected);
                }
            }
        }
    }
}
