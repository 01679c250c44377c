package io.trainserve.engine.preprocess;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScalingTest {
    // two features; the second is constant
    static final float[] DATA = {1, 5, 3, 5, 5, 5, 7, 5};

    @Test
    void minmaxMapsTheTrainingRangeToZeroOne() {
        float[] x = Scaling.fit("minmax", DATA, 4, 2).apply(DATA);
        assertThat(new float[]{x[0], x[2], x[4], x[6]}).usingComparatorWithPrecision(1e-6f).containsExactly(0f, 1 / 3f, 2 / 3f, 1f);
        assertThat(x[1]).isEqualTo(0f); // constant column: shifted, not divided by zero
    }

    @Test
    void minmaxSymmetricMapsToMinusOneOne() {
        float[] x = Scaling.fit("minmax_symmetric", DATA, 4, 2).apply(DATA);
        assertThat(x[0]).isCloseTo(-1f, within(1e-6f));
        assertThat(x[6]).isCloseTo(1f, within(1e-6f));
        assertThat(x[2]).isCloseTo(-1 / 3f, within(1e-6f));
    }

    @Test
    void standardizeGivesZeroMeanUnitDeviation() {
        float[] x = Scaling.fit("standardize", DATA, 4, 2).apply(DATA);
        double mean = (x[0] + x[2] + x[4] + x[6]) / 4;
        double var = (x[0] * x[0] + x[2] * x[2] + x[4] * x[4] + x[6] * x[6]) / 4 - mean * mean;
        assertThat(mean).isCloseTo(0, within(1e-6));
        assertThat(Math.sqrt(var)).isCloseTo(1, within(0.2)); // ND4J uses the sample deviation
        assertThat(x[1]).isEqualTo(0f);
    }

    @Test
    void pixelScalingDividesBy255AndStatisticsComeFromTrainingOnly() {
        assertThat(Scaling.fit("pixel", new float[]{0, 255}, 1, 2).apply(new float[]{255, 51})).usingComparatorWithPrecision(1e-6f).containsExactly(1f, 0.2f);
        Scaling fitted = Scaling.fit("minmax", new float[]{0, 10}, 2, 1);
        assertThat(fitted.apply(new float[]{20})).usingComparatorWithPrecision(1e-6f).containsExactly(2f); // unseen values are not clipped or refitted
    }

    /** Many rows go through a chunk of whole rows at a time: every element must be what the formula gives for its feature. */
    @Test
    void chunkedScalingGivesEachFeaturesAffineMapForEveryRow() {
        for (int width : new int[]{1, 3, 784, 5000}) {
            int rows = 2 * ScalingStage.CHUNK / width + 3; // several chunks and a partial last one
            java.util.SplittableRandom r = new java.util.SplittableRandom(width);
            float[] data = new float[rows * width];
            for (int i = 0; i < data.length; i++) data[i] = (float) r.nextDouble(-50, 300);
            Scaling s = Scaling.fit("standardize", data, rows, width);
            float[] scaled = s.apply(data);
            for (int i = 0; i < data.length; i++) {
                int j = i % width;
                assertThat(scaled[i]).as("width %d, element %d", width, i).isEqualTo(data[i] * s.scale()[j] + s.shift()[j]);
            }
            ScalingStage stage = s.stage();
            int from = width, to = Math.min(data.length, 3 * width);
            int staged = stage.stage(data, from, to);
            assertThat(staged).as("whole rows, as many as a chunk holds").isEqualTo(Math.min(to - from, Math.max(width, ScalingStage.CHUNK / width * width)));
            assertThat(java.util.Arrays.copyOf(stage.chunk(), staged)).containsExactly(java.util.Arrays.copyOfRange(scaled, from, from + staged));
        }
    }
}
