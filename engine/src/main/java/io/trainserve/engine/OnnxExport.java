package io.trainserve.engine;

import io.trainserve.engine.interop.OnnxGraph;
import io.trainserve.engine.nn.NetworkBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's whole inference path as an ONNX model (opset 13): raw encoded features in ({@code features},
 * {@code [batch, width]}, the width of {@link InputSchema#width()}, images flattened channels-first),
 * the fitted scaling as the first nodes, the network, and the probabilities ({@code probabilities},
 * {@code [batch, classes]}; for a multi-label model one independent probability per label) or values ({@code values}, {@code [batch, 1]}) out. The class names, the
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
        Model.Parts p = model.parts();
        Map<String, String> metadata = new LinkedHashMap<>();
        InputSchema schema = model.inputSchema();
        if (schema.isImage()) metadata.put("image_shape", schema.imageShape().toString()); // [C, H, W], flattened channels-first
        else metadata.put("input_features", String.join(",", schema.expandedNames()));
        metadata.put("scaling", p.scaling().kind());
        metadata.put("loss", p.spec().loss());
        if (p.target() instanceof Target.Labels) metadata.put("multi_label", "true"); // class_names are then independent 0/1 labels
        return OnnxGraph.write(NetworkBuilder.restore(p.spec(), Model.shapeOf(p.inputSchema(), p.spec()), p.params(), p.state()), p.scaling(),
                p.target().classification(), model.classNames(), metadata);
    }
}
