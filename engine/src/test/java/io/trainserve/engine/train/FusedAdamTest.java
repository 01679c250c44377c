package io.trainserve.engine.train;

import io.trainserve.engine.nn.NdArrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fused Adam step equals ND4J's AdamUpdater followed by the subtraction, state layout included. */
class FusedAdamTest {

    /** 250,000 parameters are split over the cores (ParallelLoops), 1,000 stay on the calling thread. */
    @ParameterizedTest
    @ValueSource(ints = {1000, 250_000})
    void matchesNd4jsAdamOverSeveralStepsAndSharesItsState(int n) {
        SplittableRandom rng = new SplittableRandom(2);
        float[] start = new float[n];
        for (int i = 0; i < n; i++) start[i] = (float) rng.nextGaussian();

        IUpdater config = Optimizers.create("adam", 0.01, 0.9);
        INDArray refParams = Nd4j.createFromArray(start.clone()), refState = Nd4j.create(DataType.FLOAT, config.stateSize(n));
        GradientUpdater<?> reference = config.instantiate(refState, true);
        INDArray params = Nd4j.createFromArray(start.clone()), state = Nd4j.create(DataType.FLOAT, config.stateSize(n));
        FusedAdam fused = Optimizers.fusedAdam();

        for (int t = 0; t < 5; t++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) g[i] = (float) rng.nextGaussian();
            INDArray refGrad = Nd4j.createFromArray(g.clone());
            reference.applyUpdater(refGrad, t, 0);
            refParams.subi(refGrad);
            fused.step(params, Nd4j.createFromArray(g.clone()), state, 0.01, t);
        }
        fused.store(state);
        float[] a = NdArrays.read(params), b = NdArrays.read(refParams), sa = NdArrays.read(state), sb = NdArrays.read(refState);
        assertThat(largestDifference(a, b)).as("params").isLessThanOrEqualTo(1e-5f);
        assertThat(largestDifference(sa, sb)).as("moments").isLessThanOrEqualTo(1e-5f);
        assertThat(a[0]).isNotEqualTo(start[0]);
        assertThat(a[n - 1]).isNotEqualTo(start[n - 1]);
    }

    private static float largestDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }
}
