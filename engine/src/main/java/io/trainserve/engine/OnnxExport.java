package io.trainserve.engine;

/**
 * A model's whole inference path as an ONNX model (opset 13): raw encoded features in ({@code features},
 * {@code [batch, width]}, the width of {@link InputSchema#width()}, images flattened channels-first),
 * the fitted scaling as the first nodes, the network, and the probabilities ({@code probabilities},
 * {@code [batch, classes]}; for a multi-label model one independent probability per label) or values
 * ({@code values}, {@code [batch, 1]}) out. The class names, the
 * input's feature names and the scaling kind travel in the model's metadata.
 */
public final class OnnxExport {
    static {
        NativeRuntime.prepare(); // before ND4J loads its OpenMP runtime
    }

    private OnnxExport() {
    }

    /** @throws UnsupportedModelException naming the layer that has no ONNX form here */
    public static byte[] toOnnx(Model model) {
        return Backend.INSTANCE.toOnnx(model);
    }
}
