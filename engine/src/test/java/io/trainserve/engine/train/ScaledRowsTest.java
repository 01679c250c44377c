package io.trainserve.engine.train;

import io.trainserve.engine.preprocess.Scaling;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Batches scaled on the way in hold exactly {@code raw * scale + shift} of their rows. */
class ScaledRowsTest {
    @Test
    void shuffledAndContiguousBatchesAreTheScaledRows() {
        for (int width : new int[]{3, 784, 5000}) { // several rows per chunk, and rows wider than a chunk
            int rows = 40;
            SplittableRandom r = new SplittableRandom(width);
            float[] raw = new float[rows * width];
            for (int i = 0; i < raw.length; i++) raw[i] = (float) r.nextDouble(-10, 300);
            Scaling scaling = Scaling.fit("standardize", raw, rows, width);
            // the definition, computed here rather than through Scaling.apply (which shares the staging code)
            float[] scaled = new float[raw.length];
            for (int i = 0; i < raw.length; i++) scaled[i] = raw[i] * scaling.scale()[i % width] + scaling.shift()[i % width];
            assertThat(scaling.scale()).hasSize(width);
            ScaledRows input = new ScaledRows(raw, width, scaling);

            int[] order = new int[rows];
            for (int i = 0; i < rows; i++) order[i] = (i * 17 + 5) % rows;
            for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
                INDArray batch = Nd4j.create(type, new long[]{13, width}, 'c');
                input.gather(order, 9, 13, batch);
                for (int b = 0; b < 13; b++) {
                    for (int j = 0; j < width; j++) {
                        assertThat(batch.getFloat(b, j)).as("%s width %d, batch row %d", type, width, b).isEqualTo(scaled[order[9 + b] * width + j]);
                    }
                }
                INDArray block = Nd4j.create(type, new long[]{11, width}, 'c');
                input.copy(29, 11, block);
                for (int b = 0; b < 11; b++) {
                    for (int j = 0; j < width; j++) {
                        assertThat(block.getFloat(b, j)).as("%s width %d, block row %d", type, width, b).isEqualTo(scaled[(29 + b) * width + j]);
                    }
                }
            }
        }
    }
}
