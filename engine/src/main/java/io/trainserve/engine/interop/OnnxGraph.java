package io.trainserve.engine.interop;

import ai.onnx.proto.OnnxMl;
import io.trainserve.engine.UnsupportedModelException;
import io.trainserve.engine.nn.ConvGeometry;
import io.trainserve.engine.nn.Layer;
import io.trainserve.engine.nn.Network;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.nn.Shape;
import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * A network and its fitted scaling as one ONNX graph (opset 13), built with Tribuo's ONNX graph API:
 * raw features {@code [batch, width]} in; the scaling as Mul and Add; a Reshape to NCHW for images;
 * Gemm per dense layer, the activations, BatchNormalization with the running statistics (inference
 * form), Conv and MaxPool with Keras' "same" padding written out as pads, Flatten; dropout omitted.
 * The output is the probabilities {@code [batch, classes]} (a single sigmoid unit becomes
 * {@code [1 - p, p]}) or the values {@code [batch, 1]}.
 */
public final class OnnxGraph {
    public static final List<String> SUPPORTED = List.of("dense", "dropout", "batch_norm", "flatten", "conv2d", "max_pool2d");
    private final ONNXContext ctx = new ONNXContext();
    private final Network net;
    private final List<LayerSpec> specs;

    private OnnxGraph(Network net) {
        this.net = net;
        this.specs = net.spec().layers();
    }

    /**
     * @param classification whether the outputs are class probabilities (else values)
     * @param classNames     the classes in output order (metadata), empty for values
     */
    public static byte[] write(Network net, Scaling scaling, boolean classification, List<String> classNames, Map<String, String> metadata) {
        if (net.inputShape().isSequence()) {
            throw new UnsupportedModelException("sequence input (model.inputShape " + net.inputShape() + ") and its recurrent layers (lstm, gru) have no ONNX export here");
        }
        for (int i = 0; i < net.spec().layers().size(); i++) {
            String type = net.spec().layers().get(i).type();
            if (!SUPPORTED.contains(type)) {
                throw new UnsupportedModelException("layer " + i + " (" + type + ") has no ONNX export here; supported layers: "
                        + String.join(", ", SUPPORTED));
            }
        }
        OnnxGraph g = new OnnxGraph(net);
        int width = net.inputShape().size();
        ONNXPlaceholder input = g.ctx.floatInput("features", width);
        ONNXRef<?> x = input;
        if (!scaling.kind().equals("none")) {
            x = g.op(ONNXOperators.MUL, List.of(x, g.ctx.array("scale", scaling.scale())), "scaled", Map.of());
            x = g.op(ONNXOperators.ADD, List.of(x, g.ctx.array("shift", scaling.shift())), "shifted", Map.of());
        }
        Shape in = net.inputShape();
        if (in.isImage()) {
            x = g.op(OnnxOps.RESHAPE, List.of(x, g.ctx.array("image_shape", new long[]{-1, in.channels(), in.height(), in.width()})),
                    "image", Map.of());
        }
        x = g.layers(x);
        int units = net.outputUnits();
        boolean binary = classification && units == 1 && classNames.size() == 2; // one multi-label unit stays one probability
        if (binary) { // [1 - p, p], as predict reports both classes
            ONNXRef<?> q = g.op(ONNXOperators.SUB, List.of(g.ctx.constant("one", 1f), x), "not_p", Map.of());
            x = g.op(ONNXOperators.CONCAT, List.of(q, x), "both", Map.of("axis", 1));
        }
        ONNXPlaceholder out = g.ctx.floatOutput(classification ? "probabilities" : "values", binary ? 2 : units);
        g.ctx.assignTo(x, out);
        g.ctx.setName("trainserve");
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(7)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName("trainserve")
                .setGraph(g.ctx.buildGraph());
        model.addMetadataProps(entry("class_names", json(classNames)));
        metadata.forEach((k, v) -> model.addMetadataProps(entry(k, v)));
        return model.build().toByteArray();
    }

    private ONNXRef<?> layers(ONNXRef<?> x) {
        List<Layer> layers = net.layers();
        INDArray params = net.params(), state = net.state();
        int stateOffset = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            LayerSpec s = specs.get(i);
            int p = net.paramOffset(i);
            String n = l.name();
            switch (s.type()) {
                case "dense" -> {
                    if (l.inputShape().isImage()) x = op(OnnxOps.FLATTEN, List.of(x), n + "_flat", Map.of("axis", 1));
                    int nIn = l.inputShape().size(), nOut = l.outputShape().size();
                    // our weights are column-major [nIn, nOut]: element (r, c) at r + c * nIn
                    float[] flat = Params.floats(params, p, nIn * nOut);
                    var w = ctx.floatTensor(n + "_W", List.of(nIn, nOut), fb -> {
                        for (int r = 0; r < nIn; r++) for (int c = 0; c < nOut; c++) fb.put(flat[r + c * nIn]);
                    });
                    var b = ctx.array(n + "_B", Params.floats(params, p + nIn * nOut, nOut));
                    x = op(ONNXOperators.GEMM, List.of(x, w, b), n, Map.of());
                    x = activation(x, s, n);
                }
                case "batch_norm" -> {
                    int f = l.stateCount() / 2;
                    x = op(OnnxOps.BATCH_NORM, List.of(x, ctx.array(n + "_gamma", Params.floats(params, p, f)), ctx.array(n + "_beta", Params.floats(params, p + f, f)),
                                    ctx.array(n + "_mean", Params.floats(state, stateOffset, f)), ctx.array(n + "_var", Params.floats(state, stateOffset + f, f))),
                            n, Map.of("epsilon", (float) (s.epsilon() == null ? 0.001 : s.epsilon())));
                }
                case "flatten" -> {
                    if (l.inputShape().isImage()) x = op(OnnxOps.FLATTEN, List.of(x), n, Map.of("axis", 1));
                }
                case "conv2d" -> {
                    Shape in = l.inputShape();
                    int oC = l.outputShape().channels(), iC = in.channels();
                    int[] k = NetworkBuilder.pair(s.kernelSize(), 3), st = NetworkBuilder.pair(s.strides(), 1);
                    int kCount = oC * iC * k[0] * k[1];
                    float[] flat = Params.floats(params, p, kCount); // [oC, iC, kH, kW] row-major: ONNX's layout
                    var w = ctx.floatTensor(n + "_W", List.of(oC, iC, k[0], k[1]), fb -> fb.put(flat));
                    var b = ctx.array(n + "_B", Params.floats(params, p + kCount, oC));
                    x = op(OnnxOps.CONV, List.of(x, w, b), n, Map.of("kernel_shape", k, "strides", st, "pads", pads(in, k, st, s.padding())));
                    x = activation(x, s, n);
                }
                case "max_pool2d" -> {
                    int[] k = NetworkBuilder.pair(s.poolSize(), 2), st = s.strides() == null ? k : NetworkBuilder.pair(s.strides(), 1);
                    x = op(OnnxOps.MAX_POOL, List.of(x), n, Map.of("kernel_shape", k, "strides", st, "pads", pads(l.inputShape(), k, st, s.padding())));
                }
                case "dropout" -> {
                    // identity at inference
                }
                default -> throw new IllegalStateException(s.type());
            }
            stateOffset += l.stateCount();
        }
        return x;
    }

    private ONNXRef<?> activation(ONNXRef<?> x, LayerSpec s, String n) {
        String a = s.activation() == null ? "linear" : s.activation();
        return switch (a) {
            case "linear" -> x;
            case "relu" -> op(OnnxOps.RELU, List.of(x), n + "_relu", Map.of());
            case "tanh" -> op(OnnxOps.TANH, List.of(x), n + "_tanh", Map.of());
            case "sigmoid" -> op(ONNXOperators.SIGMOID, List.of(x), n + "_sigmoid", Map.of());
            case "softmax" -> op(OnnxOps.SOFTMAX, List.of(x), n + "_softmax", Map.of("axis", 1));
            case "leaky_relu" -> op(OnnxOps.LEAKY_RELU, List.of(x), n + "_leaky_relu", Map.of("alpha", (float) (s.alpha() == null ? 0.2 : s.alpha())));
            case "elu" -> op(OnnxOps.ELU, List.of(x), n + "_elu", Map.of("alpha", (float) (s.alpha() == null ? 1.0 : s.alpha())));
            default -> throw new UnsupportedModelException("activation " + a + " has no ONNX export here");
        };
    }

    private ONNXRef<?> op(ONNXOperator op, List<? extends ONNXRef<?>> inputs, String name, Map<String, Object> attributes) {
        return ctx.operation(op, inputs, name, attributes);
    }

    /** ONNX pads {@code [top, left, bottom, right]}; Keras' "same" puts the odd pixel after. */
    private static int[] pads(Shape in, int[] k, int[] st, String padding) {
        if (!"same".equals(padding)) return new int[4];
        int ph = ConvGeometry.samePadding(in.height(), k[0], st[0]), pw = ConvGeometry.samePadding(in.width(), k[1], st[1]);
        return new int[]{ph / 2, pw / 2, ph - ph / 2, pw - pw / 2};
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static String json(List<String> names) {
        return JsonMapper.builder().build().writeValueAsString(names);
    }
}
