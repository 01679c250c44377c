package io.trainserve.engine.train;

import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

/** Keras optimizer names mapped to ND4J updaters with Keras' default hyper-parameters. */
public final class Optimizers {
    public static final List<String> NAMES = io.trainserve.engine.spec.Vocabulary.names(io.trainserve.engine.spec.Optimizer.class);

    static final double ADAM_BETA1 = 0.9, ADAM_BETA2 = 0.999, ADAM_EPSILON = 1e-7; // Keras defaults

    private Optimizers() {
    }

    /** The trainer's Adam for float32 networks (also used by the JMH benchmarks). */
    public static FusedAdam fusedAdam() {
        return new FusedAdam(ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
    }

    /** Keras' default learning rate for each optimizer. */
    public static double defaultLearningRate(String name) {
        return io.trainserve.engine.spec.Optimizer.valueOf(name.toUpperCase(java.util.Locale.ROOT)).defaultLearningRate();
    }

    public static IUpdater create(String name, double learningRate, double momentum) {
        return switch (name) {
            case "sgd" -> new Sgd(learningRate);
            case "momentum" -> new Momentum(learningRate, momentum);
            case "nesterov" -> new Nesterovs(learningRate, momentum);
            case "adam" -> new Adam(learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
            case "rmsprop" -> new RmsProp(learningRate, 0.9, 1e-7);
            case "adagrad" -> new AdaGrad(learningRate, 1e-7);
            // ND4J's AdaDelta has no learning rate: the trainer scales its step by lr, as Keras does
            case "adadelta" -> AdaDelta.builder().rho(0.95).epsilon(1e-7).build();
            default -> throw new IllegalArgumentException("unknown optimizer " + name);
        };
    }

    /** True when the updater ignores the learning rate and the trainer must apply it to the step. */
    public static boolean scalesStepByLearningRate(String name) {
        return "adadelta".equals(name);
    }
}
