package io.trainserve.engine.nn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;

/** Flatten hands image gradients back in NCHW whatever order they arrive in. */
class FlattenLayerTest {
    private final Shape image = Shape.image(3, 4, 5);

    /** An f-ordered float32 gradient (from a batch normalization over the vectors) is reordered in Java; 37 columns leave a partial block of 16. */
    @Test
    void columnMajorGradientsComeBackAsTheSameValuesInImageLayout() {
        FlattenLayer flatten = new FlattenLayer("f", Shape.image(1, 1, 37));
        INDArray eps = Nd4j.rand(DataType.FLOAT, 7, 37).dup('f');
        INDArray dx = flatten.backward(eps, true);
        assertThat(dx.ordering()).isEqualTo('c');
        assertThat(dx.shape()).containsExactly(7, 1, 1, 37);
        assertThat(dx.reshape('c', 7, 37)).isEqualTo(eps);

        FlattenLayer wide = new FlattenLayer("w", image);
        INDArray other = Nd4j.rand(DataType.FLOAT, 9, 60).dup('f');
        assertThat(wide.backward(other, true).reshape('c', 9, 60)).isEqualTo(other);
    }

    /** A row-major gradient (a dense layer above a flatten of images writes one) goes back as a view, reshaped only. */
    @Test
    void rowMajorGradientsPassAsAView() {
        FlattenLayer flatten = new FlattenLayer("f", image);
        INDArray eps = Nd4j.rand(DataType.FLOAT, 6, 60);
        INDArray dx = flatten.backward(eps, true);
        assertThat(dx.shape()).containsExactly(6, 3, 4, 5);
        assertThat(dx.data().addressPointer().address()).isEqualTo(eps.data().addressPointer().address());
        assertThat(flatten.backward(eps, true)).as("the same view again").isSameAs(dx);
        assertThat(dx.reshape('c', 6, 60)).isEqualTo(eps);
    }

    /** A strided image batch is copied by the reshape; the next batch's values must come through, not the first copy. */
    @Test
    void stridedInputsAreFlattenedAfreshEachStep() {
        FlattenLayer flatten = new FlattenLayer("f", image);
        INDArray wide = Nd4j.rand(DataType.FLOAT, 6, 3, 4, 10);
        INDArray batch = wide.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 5));
        assertThat(batch.ordering()).isEqualTo('c');
        assertThat(flatten.forward(batch, ForwardContext.INFERENCE)).isEqualTo(batch.dup('c').reshape('c', 6, 60));
        wide.assign(7);
        assertThat(flatten.forward(batch, ForwardContext.INFERENCE)).as("after the values changed")
                .isEqualTo(batch.dup('c').reshape('c', 6, 60));
        assertThat(batch.getFloat(0, 0, 0, 0)).isEqualTo(7f);
    }
}
