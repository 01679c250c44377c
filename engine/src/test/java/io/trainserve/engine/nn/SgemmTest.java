package io.trainserve.engine.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;

/** Direct cblas_sgemm gives ND4J's product for every mix of orders and transpositions, on views at an offset too. */
class SgemmTest {

    @Test
    void matchesNd4jForEveryOrderAndTransposition() {
        assertEveryOrderAndTranspositionMatches(7, 5, 3, (a, b, c, ta, tb) -> {
            assertThat(Sgemm.supports(a, b, c)).isTrue();
            Sgemm.gemm(a, b, c, ta, tb, false);
        });
    }

    /**
     * Products this large are split into blocks of the result, one per core: by rows when it has more
     * rows than columns, else by columns. Odd sizes make the blocks unequal.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"121, 101, 97", "97, 101, 121"})
    void splitProductsMatchNd4jForEveryOrderAndTransposition(int m, int k, int n) {
        assertThat((long) m * k * n).isGreaterThanOrEqualTo(Products.SPLIT_FROM);
        assertEveryOrderAndTranspositionMatches(m, k, n, (a, b, c, ta, tb) -> Products.gemm(a, b, c, ta, tb));
    }

    /** The blocks themselves, three of each kind, whatever the core count: what the parts of a split product run. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void blocksOfRowsOrColumnsMakeTheWholeProduct(boolean byRows) {
        assertEveryOrderAndTranspositionMatches(13, 7, 11, (a, b, c, ta, tb) -> {
            int length = (int) (byRows ? c.size(0) : c.size(1));
            int[] bounds = {0, 2, length / 2, length};
            for (int p = 0; p + 1 < bounds.length; p++) Sgemm.gemm(a, b, c, ta, tb, false, byRows, bounds[p], bounds[p + 1]);
        });
    }

    private interface Product {
        void run(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB);
    }

    private static void assertEveryOrderAndTranspositionMatches(int m, int k, int n, Product product) {
        int cases = 0;
        for (char orderA : new char[]{'c', 'f'})
            for (char orderB : new char[]{'c', 'f'})
                for (char orderC : new char[]{'c', 'f'})
                    for (boolean ta : new boolean[]{false, true})
                        for (boolean tb : new boolean[]{false, true}) {
                            INDArray a = viewAtOffset(orderA, ta ? k : m, ta ? m : k, 11);
                            INDArray b = viewAtOffset(orderB, tb ? n : k, tb ? k : n, 5);
                            INDArray expected = Nd4j.create(DataType.FLOAT, new long[]{m, n}, orderC);
                            Nd4j.gemm(a, b, expected, ta, tb, 1.0, 0.0);
                            INDArray actual = viewAtOffset(orderC, m, n, 3);
                            product.run(a, b, actual, ta, tb);
                            String what = "A " + orderA + (ta ? "ᵀ" : "") + " B " + orderB + (tb ? "ᵀ" : "") + " C " + orderC;
                            assertThat(actual.equalsWithEps(expected, 1e-4)).as(what + ": " + actual + " vs " + expected).isTrue();
                            assertThat(expected.sumNumber().doubleValue()).isNotZero();
                            cases++;
                        }
        assertThat(cases).isEqualTo(32);
    }

    @Test
    void accumulatesIntoTheResultWhenAsked() {
        INDArray a = viewAtOffset('c', 4, 6, 2), b = viewAtOffset('f', 6, 3, 1);
        INDArray c = viewAtOffset('f', 4, 3, 5);
        INDArray expected = c.dup('f').addi(a.mmul(b));
        Sgemm.gemm(a, b, c, false, false, true);
        assertThat(c.equalsWithEps(expected, 1e-5)).as(c + " vs " + expected).isTrue();

        INDArray big = viewAtOffset('c', 130, 90, 2), right = viewAtOffset('f', 90, 100, 1);
        INDArray sum = viewAtOffset('f', 130, 100, 5);
        INDArray expectedSum = sum.dup('f').addi(big.mmul(right));
        Products.gemm(big, right, sum, false, false, true);
        assertThat(sum.equalsWithEps(expectedSum, 1e-3)).as("split product, accumulated").isTrue();
    }

    @Test
    void productsFallBackToNd4jForDoublesAndStridedViews() {
        INDArray d = Nd4j.rand(DataType.DOUBLE, 3, 3);
        assertThat(Sgemm.supports(d, d, d)).isFalse();
        INDArray f = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray everyOtherColumn = f.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2, 6));
        assertThat(Sgemm.supports(everyOtherColumn, f, f)).isFalse();
        INDArray c = Nd4j.create(DataType.FLOAT, 3, 6);
        Products.gemm(everyOtherColumn, f, c, true, false);
        assertThat(c.equalsWithEps(everyOtherColumn.transpose().mmul(f), 1e-5)).isTrue();
    }

    /** Random {@code rows x cols} in the given order, as a view into a larger flat array at {@code offset}, like the layers' parameter views. */
    private static INDArray viewAtOffset(char order, int rows, int cols, int offset) {
        INDArray flat = Nd4j.rand(DataType.FLOAT, offset + rows * cols + 4).subi(0.5);
        return flat.get(NDArrayIndex.interval(offset, offset + rows * cols)).reshape(order, rows, cols);
    }
}
