package io.trainserve.engine.nn;

import io.trainserve.engine.Target;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused float32 dense kernels give the same outputs and gradients as ND4J's own ops, which the
 * float64 path uses (and which the gradient checks verify). Batch norm and dropout run the same
 * Java loops in both precisions (the gradient checks verify the float64 run); here their float32
 * run agrees with it, dropout masks included, as both draw from the same seeded generator.
 */
class FusedKernelsTest {
    static final ModelSpec SPEC = ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(32, "relu"),
            LayerSpec.dense(16, "leaky_relu").withAlpha(0.1), LayerSpec.dense(8, "linear"), LayerSpec.dense(4, "softmax"));
    static final ModelSpec BN_DROPOUT = ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(32, "relu"),
            LayerSpec.batchNorm(), LayerSpec.dropout(0.3), LayerSpec.dense(16, "relu"), LayerSpec.batchNorm(),
            LayerSpec.dropout(0.3), LayerSpec.dense(4, "softmax"));

    @AfterEach
    void restore() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    record Pass(float[] outputs, float[] grads) {
    }

    static Pass pass(ModelSpec spec, DataType type, float[] x, int[] y, int rows) {
        Nd4j.setDefaultDataTypes(type, type);
        Network net = NetworkBuilder.build(spec, Shape.vector(10), 3);
        INDArray input = NdArrays.zeros('c', rows, 10);
        NdArrays.write(x, 0, input);
        INDArray z = net.forward(input, new ForwardContext(true, new SplittableRandom(7)), 0);
        INDArray dz = NdArrays.zeros(z.ordering(), rows, 4);
        float[] out = new float[rows * 4];
        net.head().apply(z, y, null, out, dz);
        net.backward(dz, 0);
        return new Pass(out, NdArrays.read(net.grads()));
    }

    @Test
    void fusedFloatPathMatchesNd4jOps() {
        assertFloat32MatchesFloat64(SPEC);
    }

    @Test
    void batchNormAndDropoutAgreeInBothPrecisions() {
        assertFloat32MatchesFloat64(BN_DROPOUT);
    }

    private static void assertFloat32MatchesFloat64(ModelSpec spec) {
        int rows = 50;
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[rows * 10];
        int[] y = new int[rows];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextDouble() * 4 - 2);
        for (int i = 0; i < rows; i++) y[i] = rng.nextInt(4);

        Pass reference = pass(spec, DataType.DOUBLE, x, y, rows);
        Pass fused = pass(spec, DataType.FLOAT, x, y, rows);

        for (int i = 0; i < reference.outputs().length; i++) {
            assertThat(fused.outputs()[i]).isCloseTo(reference.outputs()[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
        float maxGrad = 0;
        for (float g : reference.grads()) maxGrad = Math.max(maxGrad, Math.abs(g));
        assertThat(maxGrad).isGreaterThan(0.01f);
        for (int i = 0; i < reference.grads().length; i++) {
            assertThat(fused.grads()[i]).as("gradient %d", i).isCloseTo(reference.grads()[i], org.assertj.core.data.Offset.offset(1e-5f * Math.max(1, maxGrad)));
        }
    }
}
