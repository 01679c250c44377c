package io.trainserve.engine.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Map;

/**
 * Classical (heavy-ball) momentum, Keras' {@code SGD(momentum=m)}: v = m*v - lr*g; w += v.
 * ND4J ships only the Nesterov variant, so this small updater follows ND4J's IUpdater contract and
 * runs through the same single call on the flat gradient as the others.
 */
public final class Momentum implements IUpdater {
    private double learningRate;
    private final double momentum;

    public Momentum(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public long stateSize(long numParams) { return numParams; }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initialize) {
        if (initialize) viewArray.assign(0);
        return new Updater(this, viewArray);
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initialize) {
        return instantiate(state.get("V"), initialize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Momentum m && m.learningRate == learningRate && m.momentum == momentum;
    }

    @Override
    public int hashCode() { return Double.hashCode(learningRate) * 31 + Double.hashCode(momentum); }

    @Override
    public IUpdater clone() { return new Momentum(learningRate, momentum); }

    @Override
    public double getLearningRate(int iteration, int epoch) { return learningRate; }

    @Override
    public boolean hasLearningRate() { return true; }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) { this.learningRate = lr; }

    private static final class Updater implements GradientUpdater<Momentum> {
        private final Momentum config;
        private INDArray velocity;

        Updater(Momentum config, INDArray velocity) {
            this.config = config;
            this.velocity = velocity;
        }

        @Override
        public Momentum getConfig() { return config; }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) { velocity = state.get("V"); }

        @Override
        public Map<String, INDArray> getState() { return Map.of("V", velocity); }

        @Override
        public void setStateViewArray(INDArray view, long[] shape, char order, boolean initialize) {
            velocity = view;
            if (initialize) velocity.assign(0);
        }

        /** Leaves in {@code gradient} the step to subtract: -v after v = m*v - lr*g. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            velocity.muli(config.momentum).subi(gradient.muli(config.learningRate));
            gradient.assign(velocity).negi();
        }
    }
}
