package io.trainserve.engine.train;

import io.trainserve.engine.Target;
import io.trainserve.engine.nn.BatchBuffers;
import io.trainserve.engine.nn.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code training.classWeight: "balanced"}: each training row's loss gradient is multiplied by
 * {@code n / (classes * rowsOfItsClass)} (scikit-learn's balanced weights, as Keras' {@code class_weight}
 * applies them), so a rare class counts as much as a common one. Counted on the training split.
 */
final class ClassWeights {
    private final float[] weight;
    private final BatchBuffers<INDArray> column = new BatchBuffers<>(b -> NdArrays.zeros('c', b, 1));

    private ClassWeights(float[] weight) {
        this.weight = weight;
    }

    /** Balanced weights for the classes of {@code target}, or null when the spec asks for none. */
    static ClassWeights of(String classWeight, Target target) {
        if (!"balanced".equals(classWeight) || !(target instanceof Target.Classes c)) return null;
        int k = c.classNames().size();
        long[] counts = new long[k];
        for (int i : c.indices()) counts[i]++;
        float[] w = new float[k];
        for (int i = 0; i < k; i++) w[i] = counts[i] == 0 ? 0f : (float) c.indices().length / (k * counts[i]);
        return new ClassWeights(w);
    }

    /** Multiplies each row of the output gradient {@code dz} ({@code [count, units]}) by its class's weight. */
    void apply(INDArray dz, int[] classes, int count) {
        INDArray w = column.forBatch(count);
        for (int r = 0; r < count; r++) w.putScalar(r, 0, weight[classes[r]]);
        dz.muliColumnVector(w.dataType() == dz.dataType() ? w : w.castTo(dz.dataType()));
    }
}
