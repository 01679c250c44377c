package io.trainserve.engine.cycletest;

import io.trainserve.engine.Trainer;

/** The other half of PackageCyclesTest's deliberate root ↔ sub-package loop (test code only): depends on the root package. */
public final class Below {
    public Trainer trainer;
}
