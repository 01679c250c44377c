package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products into preallocated results. BLAS runs on one thread and large products are split
 * here into blocks of the result, one per core ({@link ParallelLoops}). OpenBLAS's own threads
 * scaled poorly inside a training step on 2 cores (a 100x784x256 product: 386 µs on one thread,
 * 379 µs on two, against 270 µs for two back-to-back; a quarter of the training's CPU time was in
 * the kernel, where its idle worker spins in {@code sched_yield}). Splitting here also decides per product
 * rather than per process, so small products (softmax's 100x784x10) stay on the calling thread
 * without resizing OpenBLAS's pool (which cost more than the products), and concurrent jobs do
 * not change each other's thread count.
 */
public final class Products {
    /** Products of at least this many multiply-adds are split over the cores (~10 µs of one core's work). */
    static final long SPLIT_FROM = 1_000_000L;

    static {
        Nd4j.factory().blas().setMaxThreads(1);
    }

    private Products() {
    }

    /** c = op(a) * op(b) into the preallocated c. */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        gemm(a, b, c, transposeA, transposeB, false);
    }

    /** c = op(a) * op(b), or c += op(a) * op(b) when {@code accumulate} (a sum of products over runs of samples). */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, boolean accumulate) {
        if (!Sgemm.supports(a, b, c)) {
            Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, accumulate ? 1.0 : 0.0);
            return;
        }
        long k = transposeA ? a.size(0) : a.size(1);
        long multiplyAdds = c.length() * k;
        // inside a part (a block of a data-parallel batch) the blocks could only run in turn: one call
        // is faster. Decided by where the product runs, never by what else runs, so results do not
        // depend on concurrent jobs (a split product can differ from one call in the last bit)
        int parts = multiplyAdds >= SPLIT_FROM && !ParallelLoops.insidePart() ? ParallelLoops.MAX_PARTS : 1;
        // each part packs its block of one operand and all of the other: split the larger one's
        // side (conv2's 12100x288x64 forward by columns had each core pack all 14 MB of columns)
        boolean byRows = c.size(0) > c.size(1);
        ParallelLoops.runInParts((int) (byRows ? c.size(0) : c.size(1)), parts,
                (from, to, part) -> Sgemm.gemm(a, b, c, transposeA, transposeB, accumulate, byRows, from, to));
    }
}
