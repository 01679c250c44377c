package io.trainserve.engine.spec;

/** Callback mode: whether the monitored metric should go down (min), up (max), or as its name says (auto). */
public enum MonitorMode implements Vocabulary.Word {
    AUTO, MIN, MAX;

    @Override
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
