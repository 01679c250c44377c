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
    /** This thread's niceness as last set through {@link #setThreadNice} (0 until then, as a new thread inherits). */
    private static final ThreadLocal<int[]> NICE = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * Sets the calling thread's scheduling niceness (Linux: {@code setpriority} on its own thread id; 0 is
     * the default, 19 the lowest priority). A training job's threads run niced so that on a machine with few
     * cores the request threads of a concurrent predict win the CPU whenever they are runnable, while the
     * job still takes every idle cycle. Lowering niceness again needs {@code CAP_SYS_NICE} (or a
     * {@code RLIMIT_NICE}) on most systems.
     *
     * @return whether the thread now has that niceness (false where not supported or not permitted)
     */
    public static boolean setThreadNice(int nice) {
        int[] current = NICE.get();
        if (current[0] == nice) return true;
        try {
            int tid = Function.getFunction("c", "gettid").invokeInt(new Object[0]);
            boolean done = Function.getFunction("c", "setpriority").invokeInt(new Object[]{PRIO_PROCESS, tid, nice}) == 0;
            if (done) current[0] = nice;
            return done;
        } catch (RuntimeException | LinkageError e) {
            return false; // no gettid/setpriority (not Linux with glibc >= 2.30): threads keep their priority
        }
    }

    /** The calling thread's niceness as set through {@link #setThreadNice} (helpers adopt their caller's). */
    public static int threadNice() {
        return NICE.get()[0];
    }

    private static final int PRIO_PROCESS = 0;
}
