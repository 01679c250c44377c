package io.trainserve.engine;

/**
 * A model as a tf.keras 2.x {@code .h5} file that {@code tf.keras.models.load_model} reads: a Sequential
 * model taking Keras' layouts ({@code (None, features)}, or channels-last images {@code (None, H, W, C)}),
 * the fitted scaling as a leading {@code Rescaling} layer, the weights in Keras' layouts, and the loss and
 * optimizer compiled in. {@link KerasImport} reads it back.
 */
public final class KerasExport {
    static {
        NativeRuntime.prepare(); // before ND4J loads its OpenMP runtime
    }

    private KerasExport() {
    }

    /** @throws UnsupportedModelException naming the layer or activation Keras 2 cannot express here */
    public static byte[] toH5(Model model) {
        return Backend.INSTANCE.toH5(model);
    }
}
