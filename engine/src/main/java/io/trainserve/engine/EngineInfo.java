package io.trainserve.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions recorded in every model's provenance. */
public final class EngineInfo {
    private static final Properties PROPS = load();

    private EngineInfo() {
    }

    public static String version() {
        return PROPS.getProperty("version", "unknown");
    }

    public static String nd4jVersion() {
        return PROPS.getProperty("nd4j.version", "unknown");
    }

    public static String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
    }

    public static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = EngineInfo.class.getResourceAsStream("engine.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // versions are informative only
        }
        return p;
    }
}
