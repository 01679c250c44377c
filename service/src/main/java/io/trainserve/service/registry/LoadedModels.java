package io.trainserve.service.registry;

import io.trainserve.engine.Model;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The bundles loaded for serving, a few at a time (the least recently used goes first). A predict's hit is
 * one lock-free map read: the access-ordered map under one lock it replaces serialized every request of
 * every model (bench/serving/NOTES.md). {@link ModelRegistry#load} fills it; {@link ServingCatalog} reads it.
 */
@Component
class LoadedModels {
    static final int CAPACITY = 16;

    private static final class Slot {
        final Model model;
        volatile long lastUse = System.nanoTime();

        Slot(Model model) {
            this.model = model;
        }
    }

    private final Map<ModelVersionEntity.Key, Slot> slots = new ConcurrentHashMap<>();

    /** The loaded model, or null. */
    Model get(String modelId, int version) {
        Slot s = slots.get(new ModelVersionEntity.Key(modelId, version));
        if (s == null) return null;
        s.lastUse = System.nanoTime();
        return s.model;
    }

    synchronized void put(String modelId, int version, Model model) {
        slots.put(new ModelVersionEntity.Key(modelId, version), new Slot(model));
        while (slots.size() > CAPACITY) {
            slots.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().lastUse))
                    .ifPresent(e -> slots.remove(e.getKey(), e.getValue()));
        }
    }

    void remove(String modelId, int version) {
        slots.remove(new ModelVersionEntity.Key(modelId, version));
    }
}
