package io.trainserve.engine;

import java.util.ServiceLoader;

/** The {@link EngineBackend} on the class path, loaded once. */
final class Backend {
    static final EngineBackend INSTANCE = ServiceLoader.load(EngineBackend.class, EngineBackend.class.getClassLoader())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + EngineBackend.class.getName() + " in META-INF/services"));

    private Backend() {
    }
}
