package io.trainserve.engine;

/**
 * The mutable state of the callbacks, kept apart from their settings so a checkpoint can save it
 * and a resumed run continues with the same counters.
 */
public final class CallbackState {
    public Early early = new Early();
    public Plateau plateau = new Plateau();
    public Best best = new Best();

    public static final class Early {
        public int wait;
        public double best = Double.NaN;
        public int bestEpoch;
    }

    public static final class Plateau {
        public int wait;
        public int cooldownCounter;
        public double best = Double.NaN;
    }

    /** ModelCheckpoint's best value so far and its epoch. */
    public static final class Best {
        public double value = Double.NaN;
        public int epoch;
    }
}
