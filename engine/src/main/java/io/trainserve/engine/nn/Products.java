package io.trainserve.engine.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products into preallocated results, and the BLAS thread count for a network. Waking a
 * second (passive) thread costs more than it saves when every product is small, such as softmax
 * regression's 784x10 (measured: epoch 0.54-0.78 s with 2 threads, 0.28-0.37 s with 1), while a
 * hidden layer's large products gain from all cores. Switching the count between products of one
 * step costs more still (OpenBLAS resizes its pool: MLP epoch 2.9-4.7 s), so it is chosen once per
 * network from its largest product.
 */
public final class Products {
    /** Networks whose largest product is below this many multiply-adds run BLAS on one thread. */
    static final long SINGLE_THREAD_BELOW = 4_000_000L;
    private static final int ALL = Math.max(1, Runtime.getRuntime().availableProcessors());

    private Products() {
    }

    /** c = op(a) * op(b) into the preallocated c. */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        gemm(a, b, c, transposeA, transposeB, false);
    }

    /** c = op(a) * op(b), or c += op(a) * op(b) when {@code accumulate} (a sum of products over runs of samples). */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, boolean accumulate) {
        if (Sgemm.supports(a, b, c)) {
            Sgemm.gemm(a, b, c, transposeA, transposeB, accumulate);
            return;
        }
        Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, accumulate ? 1.0 : 0.0);
    }

    /** Sets the BLAS thread count for running {@code net} on batches of {@code batch} rows. */
    public static synchronized void useThreadsFor(Network net, int batch) {
        long largest = 0;
        for (Layer l : net.layers()) {
            if (l instanceof DenseLayer d) largest = Math.max(largest, (long) batch * d.inputShape().size() * d.units());
            if (l instanceof Conv2DLayer c) largest = Math.max(largest, c.largestProduct(batch));
        }
        int wanted = largest < SINGLE_THREAD_BELOW ? 1 : ALL;
        if (Nd4j.factory().blas().getMaxThreads() != wanted) Nd4j.factory().blas().setMaxThreads(wanted);
    }
}
