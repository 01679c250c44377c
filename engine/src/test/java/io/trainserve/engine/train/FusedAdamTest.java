package io.trainserve.engine.train;

import io.trainserve.engine.nn.NdArrays;
import org.junit.jupiter.api.Test;
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

    @Test
    void matchesNd4jsAdamOverSeveralStepsAndSharesItsState() {
        int n = 1000;
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
        for (int i = 0; i < n; i++) assertThat(a[i]).as("param %d", i).isCloseTo(b[i], within(1e-5f));
        for (int i = 0; i < sa.length; i++) assertThat(sa[i]).as("state %d", i).isCloseTo(sb[i], within(1e-5f));
        assertThat(a[0]).isNotEqualTo(start[0]);
    }
}
