package io.trainserve.engine.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.EluBp;
import org.nd4j.linalg.factory.Nd4j;

import org.nd4j.common.primitives.Pair;

import java.util.List;

/** Keras activation names mapped to ND4J's activations (forward and backprop come from ND4J). */
public final class Activations {
    public static final List<String> NAMES = io.trainserve.engine.spec.Vocabulary.names(io.trainserve.engine.spec.Activation.class);

    private Activations() {
    }

    /** @param alpha leaky_relu slope or elu alpha; null for the Keras default (0.2 / 1.0) */
    public static IActivation of(String name, Double alpha) {
        return switch (name == null ? "linear" : name) {
            case "linear" -> new ActivationIdentity();
            case "relu" -> new ActivationReLU();
            case "leaky_relu" -> new ActivationLReLU(alpha == null ? io.trainserve.engine.spec.KerasDefaults.LEAKY_RELU_ALPHA : alpha);
            case "elu" -> new Elu(alpha == null ? io.trainserve.engine.spec.KerasDefaults.ELU_ALPHA : alpha);
            case "sigmoid" -> new ActivationSigmoid();
            case "tanh" -> new ActivationTanH();
            case "softmax" -> new ActivationSoftmax();
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    /**
     * ELU whose backprop honours alpha: ND4J 1.0.0-M2.1's ActivationELU.backprop runs elu_bp without
     * its alpha (so alpha 1), giving wrong gradients for any other alpha (found by GradientCheckTest).
     */
    static final class Elu extends ActivationELU {
        Elu(double alpha) {
            super(alpha);
        }

        @Override
        public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
            Nd4j.getExecutioner().execAndReturn(new EluBp(in, epsilon, in, getAlpha()));
            return new Pair<>(in, null);
        }
    }
}
