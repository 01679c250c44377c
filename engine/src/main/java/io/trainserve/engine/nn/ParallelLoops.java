package io.trainserve.engine.nn;

import io.trainserve.engine.NativeRuntime;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits the engine's Java loops (im2col, col2im, bias + activation, pooling, the optimizer's
 * update) and its large matrix products ({@link Products}) over the cores. The caller runs the
 * first part itself, helper threads (daemons, one per further core) the others.
 *
 * <p>Hand-over is built for a training step's rhythm, a parallel section every 50-500 µs: a helper
 * spins for {@link #SPIN_NANOS} after its last part before it parks, so the next hand-over is a
 * write to a volatile field, not a futex wake-up (tens of µs on a virtual machine); an idle service
 * parks them within that time. Waiting callers spin, then yield, then park, so an oversubscribed
 * machine degrades to sharing rather than to spinning on a descheduled helper.
 *
 * <p>One caller uses the helpers at a time: a concurrent caller (another training job, a batch
 * prediction) runs the same parts one after the other on its own thread rather than queueing
 * behind the first, so results never depend on what else runs. A loop gets only as many parts as
 * have {@link #MIN_WORK} elements each. A helper runs a part at its caller's niceness
 * ({@link NativeRuntime#setThreadNice}), so a niced training job does not hold a full-priority core.
 */
public final class ParallelLoops {
    /**
     * Most parts a loop is split into: one per core, or fewer if the user set a thread count (system
     * property {@code trainserve.threads}, else {@code OMP_NUM_THREADS}, the knob ND4J and PyTorch
     * users already know). Never more than the cores: the helpers spin, and a spinning helper
     * without a core of its own would hold up every part. Kernels keep this many sets of staging arrays.
     */
    public static final int MAX_PARTS = threads(System.getProperty("trainserve.threads", System.getenv("OMP_NUM_THREADS")),
            Runtime.getRuntime().availableProcessors());
    /** Elements of work each part must have at least. */
    static final long MIN_WORK = 100_000;
    /**
     * Elements from which a light element-wise pass (bias + activation, batch norm) is split over
     * the cores: a 64 x 256 layer, ~10 µs of work per part. The helpers still spin from the step's
     * previous parallel section, so a hand-over costs about a microsecond.
     */
    static final long SPLIT_PASS_FROM = 16_384;
    /** How long a helper keeps polling for the next part, and a caller for a helper's result, before parking. */
    static final long SPIN_NANOS = 200_000;

    private static final Helper[] HELPERS = new Helper[MAX_PARTS - 1];
    private static final AtomicBoolean IN_USE = new AtomicBoolean();
    /** Per thread, how many parts of split loops it is running (nested: a part's own loops). */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    static {
        for (int i = 0; i < HELPERS.length; i++) HELPERS[i] = new Helper(i + 1);
    }

    private ParallelLoops() {
    }

    /** One part of a loop: indices {@code [from, to)}, run with the staging arrays of {@code part}. */
    public interface Part {
        void run(int from, int to, int part);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in contiguous parts, in parallel, and returns once all
     * are done; a failure in any part is rethrown here.
     *
     * @param work elements touched in all, deciding whether splitting pays
     * @return the number of parts used (the parts are {@code 0 .. parts-1})
     */
    public static int run(int n, long work, Part body) {
        return runInParts(n, (int) Math.min(MAX_PARTS, Math.max(1, work / MIN_WORK)), body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in {@code wanted} contiguous parts (at most one per
     * thread and per index); while another caller holds the helpers, the same parts run here in turn.
     */
    public static int runInParts(int n, int wanted, Part body) {
        int parts = Math.max(1, Math.min(Math.min(MAX_PARTS, n), wanted));
        if (parts == 1) {
            body.run(0, n, 0);
            return 1;
        }
        if (insidePart() || !IN_USE.compareAndSet(false, true)) {
            // the same parts, one after the other: results (sums of partial sums, blocks of a
            // product) must not depend on whether another job held the helpers. A loop nested in
            // a part stays on its thread even if the helpers came free meanwhile
            for (int p = 0; p < parts; p++) runPart(body, bound(n, parts, p), bound(n, parts, p + 1), p);
            return parts;
        }
        try {
            Thread caller = Thread.currentThread();
            int nice = NativeRuntime.threadNice();
            for (int p = 1; p < parts; p++) HELPERS[p - 1].start(body, bound(n, parts, p), bound(n, parts, p + 1), caller, nice);
            Throwable failure = null;
            try {
                runPart(body, 0, bound(n, parts, 1), 0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            // wait even when this part failed: the helpers write the caller's arrays
            for (int p = 1; p < parts; p++) {
                Throwable f = HELPERS[p - 1].await();
                if (failure == null) failure = f;
            }
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException(failure);
            return parts;
        } finally {
            IN_USE.set(false);
        }
    }

    /**
     * True on a thread running one part of a loop split in two or more, whether on a helper, on
     * the caller, or in turn on a concurrent caller: the same for a given loop whatever else runs.
     * A loop started there runs its parts one after the other on this thread.
     */
    public static boolean insidePart() {
        return DEPTH.get()[0] > 0;
    }

    /** The configured thread count ({@code "2"}, or OpenMP's nested-list form {@code "2,1"}) up to the cores, else the cores. */
    static int threads(String configured, int cores) {
        if (configured != null) {
            try {
                int n = Integer.parseInt(configured.split(",")[0].trim());
                if (n >= 1) return Math.min(n, Math.max(1, cores));
            } catch (NumberFormatException ignored) {
                // not a count: use the cores
            }
        }
        return Math.max(1, cores);
    }

    /** Parts for a light element-wise pass over {@code elements} values: all cores from {@link #SPLIT_PASS_FROM} up. */
    static int partsForPass(long elements) {
        return elements >= SPLIT_PASS_FROM ? MAX_PARTS : 1;
    }

    private static void runPart(Part body, int from, int to, int part) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            body.run(from, to, part);
        } finally {
            depth[0]--;
        }
    }

    private static int bound(int n, int parts, int part) {
        return (int) ((long) n * part / parts);
    }

    /** A daemon thread running one part at a time, handed over through volatile fields. */
    private static final class Helper implements Runnable {
        private final int part;
        private final Thread thread;
        private volatile Part body;
        private volatile boolean done = true;
        private volatile Throwable failure;
        private int from, to, nice; // published by the volatile write of body
        private Thread caller;

        Helper(int part) {
            this.part = part;
            thread = new Thread(this, "trainserve-loops-" + part);
            thread.setDaemon(true);
            thread.start();
        }

        void start(Part work, int from, int to, Thread caller, int nice) {
            this.from = from;
            this.nice = nice;
            this.to = to;
            this.caller = caller;
            failure = null;
            done = false;
            body = work;
            LockSupport.unpark(thread);
        }

        /** @return the part's failure, or null */
        Throwable await() {
            long start = System.nanoTime();
            while (!done) {
                long waited = System.nanoTime() - start;
                if (waited < SPIN_NANOS) Thread.onSpinWait();
                else if (waited < 4 * SPIN_NANOS) Thread.yield();
                else LockSupport.parkNanos(this, 50_000);
            }
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                Part work = nextPart();
                NativeRuntime.setThreadNice(nice); // a niced training job's parts run niced too
                try {
                    runPart(work, from, to, part);
                } catch (Throwable t) {
                    failure = t;
                }
                body = null;
                done = true;
                LockSupport.unpark(caller);
            }
        }

        private Part nextPart() {
            long idleSince = System.nanoTime();
            Part work;
            while ((work = body) == null) {
                if (System.nanoTime() - idleSince < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            return work;
        }
    }
}
