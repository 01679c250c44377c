package io.trainserve.engine.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A layer's work buffers by batch size. Training alternates among a handful of sizes (full batch,
 * last partial batch, evaluation batch), so a few are kept and none is reallocated per step.
 */
public final class BatchBuffers<T> {
    private static final int KEEP = 4;
    private final IntFunction<T> factory;
    private final Map<Integer, T> bySize = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, T> eldest) {
            return size() > KEEP;
        }
    };

    public BatchBuffers(IntFunction<T> factory) {
        this.factory = factory;
    }

    public T forBatch(int batch) {
        return bySize.computeIfAbsent(batch, factory::apply);
    }
}
