package io.trainserve.engine;

import com.sun.jna.Function;

/**
 * Native settings the engine chooses itself rather than leaving to the user's environment.
 * ND4J's OpenMP runtime (libgomp) reads {@code OMP_WAIT_POLICY} once, when it loads; its default
 * lets idle workers spin, which on a 2-core machine made ND4J ~4x slower and starved the JVM's own
 * threads. So before ND4J loads, {@code OMP_WAIT_POLICY=PASSIVE} is put into the process
 * environment (through libc's {@code setenv}, via JNA, which ND4J already depends on) unless the
 * user set it. The engine's entry points ({@link Trainer}, {@link Model}, {@link ModelBundle}) call
 * {@link #prepare()} in their static initializers; a program that touches ND4J directly before any
 * of them should call it first.
 */
public final class NativeRuntime {
    static final String WAIT_POLICY = "OMP_WAIT_POLICY";
    private static final String PASSIVE = "PASSIVE";
    private static volatile boolean prepared;

    private NativeRuntime() {
    }

    /** Idempotent; cheap after the first call. */
    public static void prepare() {
        if (prepared) return;
        synchronized (NativeRuntime.class) {
            if (prepared) return;
            if (System.getenv(WAIT_POLICY) == null) setenv(WAIT_POLICY, PASSIVE);
            prepared = true;
        }
    }

    /** The value the native side sees (libc's getenv; {@link System#getenv} keeps the JVM's startup copy). */
    public static String nativeEnv(String name) {
        return (String) Function.getFunction("c", "getenv").invoke(String.class, new Object[]{name});
    }

    private static void setenv(String name, String value) {
        try {
            Function.getFunction("c", "setenv").invokeInt(new Object[]{name, value, 0});
        } catch (RuntimeException | LinkageError e) {
            // no libc to call (not Linux/macOS): ND4J then runs with the environment's policy
        }
    }
}
