package io.trainserve.engine.nn;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits the Java loops of convolution and pooling (im2col, col2im, bias + activation, pooling)
 * and the optimizer's update over the cores: the products already use every core through BLAS, and single-threaded these
 * loops were half of a CNN training step. The caller runs the first part itself, helper threads
 * (daemons, one per further core) the others. A loop gets only as many parts as have
 * {@link #MIN_WORK} elements each, so small ones stay on the calling thread, where handing work
 * over would cost more than it saves.
 */
public final class ParallelLoops {
    /** Most parts a loop is split into: one per core. Kernels keep this many sets of staging arrays. */
    static final int MAX_PARTS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Elements of work each part must have at least (waking a helper costs tens of microseconds). */
    static final long MIN_WORK = 100_000;

    private static final ExecutorService HELPERS = MAX_PARTS == 1 ? null : Executors.newFixedThreadPool(MAX_PARTS - 1, r -> {
        Thread t = new Thread(r, "trainserve-loops");
        t.setDaemon(true);
        return t;
    });

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
        int parts = (int) Math.min(Math.min(MAX_PARTS, n), Math.max(1, work / MIN_WORK));
        if (parts <= 1) {
            body.run(0, n, 0);
            return 1;
        }
        Future<?>[] helpers = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int part = p;
            helpers[p - 1] = HELPERS.submit(() -> body.run(bound(n, parts, part), bound(n, parts, part + 1), part));
        }
        Throwable failure = null;
        try {
            body.run(0, bound(n, parts, 1), 0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : helpers) {
            while (true) { // wait even when this part failed or we are interrupted: the helpers write the caller's arrays
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (failure == null) failure = e.getCause();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
        return parts;
    }

    private static int bound(int n, int parts, int part) {
        return (int) ((long) n * part / parts);
    }
}
