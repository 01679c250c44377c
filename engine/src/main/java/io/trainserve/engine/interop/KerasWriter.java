package io.trainserve.engine.interop;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.trainserve.engine.UnsupportedModelException;
import io.trainserve.engine.nn.Layer;
import io.trainserve.engine.nn.Network;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.nn.Shape;
import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inverse of {@link KerasLayers}: a network written as a tf.keras 2.x {@code .h5} file (legacy HDF5
 * layout, written with jHDF) that {@code tf.keras.models.load_model} reads. Inputs become Keras'
 * {@code (None, features)}, {@code (None, timesteps, features)} for sequences, {@code (None, tokens)} before
 * an Embedding, or channels-last {@code (None, H, W, C)}; LSTM and GRU (reset_after) keep our layouts,
 * which are Keras' own; kernels go back to Keras' layouts
 * (row-major Dense, HWIO Conv2D, Dense rows after a Flatten in {@code (H, W, C)} order); the fitted
 * scaling becomes a leading {@code Rescaling} layer ({@code x * scale + offset}, per feature when it
 * differs between features); the loss and optimizer become the {@code training_config}.
 */
public final class KerasWriter {
    /** The Keras version the file's layout follows (tf.keras 2.x legacy HDF5 saving). */
    public static final String KERAS_VERSION = "2.11.0";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ACTIVATIONS = List.of("linear", "relu", "sigmoid", "tanh", "softmax", "elu");

    private final Network net;
    private final List<Map<String, Object>> layers = new ArrayList<>();
    private final Map<String, Map<String, Object>> weights = new LinkedHashMap<>();
    private final Map<String, Integer> names = new LinkedHashMap<>();
    /** For a vector that came from flattening an image: Keras' position → our position; null when they agree. */
    private int[] order;

    private KerasWriter(Network net) {
        this.net = net;
    }

    public static byte[] write(Network net, Scaling scaling, String loss, TrainingSpec training) {
        KerasWriter w = new KerasWriter(net);
        Shape in = net.inputShape();
        List<Integer> batchShape = new ArrayList<>();
        batchShape.add(null);
        if (in.isImage()) batchShape.addAll(List.of(in.height(), in.width(), in.channels()));
        else if (in.isSequence()) batchShape.addAll(List.of(in.timesteps(), in.features()));
        else batchShape.add(in.size());
        w.layer("InputLayer", "input_1", false, config("batch_input_shape", batchShape, "dtype", "float32", "sparse", false, "ragged", false));
        if (!scaling.kind().equals("none")) w.rescaling(scaling, in);
        w.network();
        Map<String, Object> model = Map.of("class_name", "Sequential", "config", Map.of("name", "sequential", "layers", w.layers));
        Map<String, Object> compiled = new LinkedHashMap<>();
        compiled.put("loss", loss);
        compiled.put("metrics", null);
        compiled.put("weighted_metrics", null);
        compiled.put("loss_weights", null);
        compiled.put("optimizer_config", optimizer(training));
        return w.file(JSON.writeValueAsString(model), JSON.writeValueAsString(compiled));
    }

    private void network() {
        List<Layer> ls = net.layers();
        INDArray params = net.params(), state = net.state();
        int stateOffset = 0;
        for (int i = 0; i < ls.size(); i++) {
            Layer l = ls.get(i);
            LayerSpec s = net.spec().layers().get(i);
            int p = net.paramOffset(i);
            Shape in = l.inputShape();
            switch (s.type()) {
                case "dense" -> {
                    if (in.isImage()) flatten(in);
                    int nIn = in.size(), nOut = l.outputShape().size();
                    float[][] k = new float[nIn][nOut];
                    for (int r = 0; r < nIn; r++) {
                        int ours = order == null ? r : order[r];
                        for (int c = 0; c < nOut; c++) k[r][c] = params.getFloat((long) p + ours + (long) c * nIn);
                    }
                    String name = layer("Dense", "dense", true, config("units", nOut, "activation", activation(s, i), "use_bias", true));
                    weights.put(name, weightMap("kernel", k, "bias", Params.floats(params, p + nIn * nOut, nOut)));
                    order = null;
                }
                case "batch_norm" -> {
                    int f = l.stateCount() / 2;
                    String name = layer("BatchNormalization", "batch_normalization", true, config("axis", List.of(in.isImage() ? 3 : in.isSequence() ? 2 : 1),
                            "momentum", s.momentum() == null ? 0.99 : s.momentum(), "epsilon", s.epsilon() == null ? 0.001 : s.epsilon(),
                            "center", true, "scale", true));
                    weights.put(name, weightMap("gamma", reorder(Params.floats(params, p, f)), "beta", reorder(Params.floats(params, p + f, f)),
                            "moving_mean", reorder(Params.floats(state, stateOffset, f)), "moving_variance", reorder(Params.floats(state, stateOffset + f, f))));
                }
                case "dropout" -> layer("Dropout", "dropout", true, config("rate", s.rate(), "noise_shape", null, "seed", null));
                case "flatten" -> {
                    if (in.isImage()) flatten(in);
                    // a sequence flattens time-major in both, but Keras must be told (its Dense would run per step)
                    if (in.isSequence()) layer("Flatten", "flatten", true, config("data_format", "channels_last"));
                }
                case "embedding" -> {
                    int vocabulary = s.inputDim(), dim = s.outputDim();
                    String name = layer("Embedding", "embedding", true, config("input_dim", vocabulary, "output_dim", dim,
                            "embeddings_initializer", Map.of("class_name", "RandomUniform", "config", Map.of("minval", -0.05, "maxval", 0.05)),
                            "mask_zero", false, "input_length", in.size()));
                    weights.put(name, weightMap("embeddings", Params.matrix(params, p, vocabulary, dim)));
                }
                case "lstm", "gru" -> recurrent(s, l, p);
                case "global_average_pooling1d" -> layer("GlobalAveragePooling1D", "global_average_pooling1d", true,
                        config("data_format", "channels_last", "keepdims", false));
                case "conv2d" -> {
                    int oC = l.outputShape().channels(), iC = in.channels();
                    int[] k = NetworkBuilder.pair(s.kernelSize(), 3), st = NetworkBuilder.pair(s.strides(), 1);
                    float[][][][] kernel = new float[k[0]][k[1]][iC][oC];
                    for (int o = 0; o < oC; o++) for (int c = 0; c < iC; c++) for (int y = 0; y < k[0]; y++) for (int x = 0; x < k[1]; x++) {
                        kernel[y][x][c][o] = params.getFloat((long) p + ((o * iC + c) * k[0] + y) * k[1] + x);
                    }
                    String name = layer("Conv2D", "conv2d", true, config("filters", oC, "kernel_size", List.of(k[0], k[1]),
                            "strides", List.of(st[0], st[1]), "padding", s.padding() == null ? "valid" : s.padding(),
                            "data_format", "channels_last", "dilation_rate", List.of(1, 1), "groups", 1, "activation", activation(s, i),
                            "use_bias", true));
                    weights.put(name, weightMap("kernel", kernel, "bias", Params.floats(params, p + oC * iC * k[0] * k[1], oC)));
                }
                case "max_pool2d" -> {
                    int[] k = NetworkBuilder.pair(s.poolSize(), 2), st = s.strides() == null ? k : NetworkBuilder.pair(s.strides(), 1);
                    layer("MaxPooling2D", "max_pooling2d", true, config("pool_size", List.of(k[0], k[1]), "strides", List.of(st[0], st[1]),
                            "padding", s.padding() == null ? "valid" : s.padding(), "data_format", "channels_last"));
                }
                default -> throw new UnsupportedModelException("layer " + i + " (" + s.type() + ") has no Keras .h5 export here");
            }
            stateOffset += l.stateCount();
        }
    }

    /**
     * Keras' LSTM (bias {@code [4 units]}) or GRU with reset_after (biases {@code [2, 3 units]}): our kernel,
     * recurrent kernel and biases are laid out as Keras stores them, gates in its order.
     */
    private void recurrent(LayerSpec s, Layer l, int p) {
        boolean lstm = s.type().equals("lstm");
        int units = s.units(), features = l.inputShape().features(), g = (lstm ? 4 : 3) * units;
        // every activation a recurrent layer takes here (tanh, sigmoid, relu, linear) has its Keras name
        Map<String, Object> c = config("units", units, "activation", s.activation() == null ? "tanh" : s.activation(),
                "recurrent_activation", s.recurrentActivation() == null ? "sigmoid" : s.recurrentActivation(), "use_bias", true,
                "return_sequences", Boolean.TRUE.equals(s.returnSequences()), "return_state", false, "go_backwards", false,
                "stateful", false, "unroll", false, "time_major", false, "dropout", s.dropout() == null ? 0.0 : s.dropout(),
                "recurrent_dropout", 0.0, "implementation", 2);
        if (lstm) c.put("unit_forget_bias", true);
        else c.put("reset_after", true);
        String name = layer(lstm ? "LSTM" : "GRU", s.type(), true, c);
        int r = p + features * g, b = r + units * g;
        weights.put(name, weightMap("kernel", Params.matrix(net.params(), p, features, g), "recurrent_kernel",
                Params.matrix(net.params(), r, units, g), "bias", lstm ? Params.floats(net.params(), b, g) : Params.matrix(net.params(), b, 2, g)));
    }

    private void flatten(Shape image) {
        int ch = image.channels(), h = image.height(), w = image.width();
        order = new int[ch * h * w];
        for (int c = 0; c < ch; c++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) order[(y * w + x) * ch + c] = (c * h + y) * w + x;
        layer("Flatten", "flatten", true, config("data_format", "channels_last"));
    }

    /** x * scale + offset, as scalars when every feature has the same, else shaped like one input (channels-last for images). */
    private void rescaling(Scaling scaling, Shape in) {
        float[] scale = scaling.scale(), shift = scaling.shift();
        layer("Rescaling", "rescaling", true, config("scale", shaped(scale, in), "offset", shaped(shift, in)));
    }

    private static Object shaped(float[] v, Shape in) {
        boolean same = true;
        for (float f : v) same &= f == v[0];
        if (same) return (double) v[0];
        if (in.isSequence()) { // [timesteps][features], as Keras' (None, T, F) input
            List<Object> steps = new ArrayList<>();
            for (int t = 0; t < in.timesteps(); t++) steps.add(toDoubles(java.util.Arrays.copyOfRange(v, t * in.features(), (t + 1) * in.features())));
            return steps;
        }
        if (!in.isImage()) return toDoubles(v);
        List<Object> rows = new ArrayList<>();
        for (int y = 0; y < in.height(); y++) {
            List<Object> row = new ArrayList<>();
            for (int x = 0; x < in.width(); x++) {
                List<Double> px = new ArrayList<>();
                for (int c = 0; c < in.channels(); c++) px.add((double) v[(c * in.height() + y) * in.width() + x]);
                row.add(px);
            }
            rows.add(row);
        }
        return rows;
    }

    private float[] reorder(float[] v) {
        if (order == null) return v;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[order[i]];
        return out;
    }

    private static String activation(LayerSpec s, int i) {
        String a = s.activation() == null ? "linear" : s.activation();
        if (!ACTIVATIONS.contains(a) || a.equals("elu") && s.alpha() != null && s.alpha() != 1.0) {
            throw new UnsupportedModelException("layer " + i + " (" + s.type() + ") has activation " + a
                    + (s.alpha() != null ? " with alpha " + s.alpha() : "") + ", which a Keras 2 Dense/Conv2D cannot name; supported: "
                    + String.join(", ", ACTIVATIONS) + " (elu with alpha 1)");
        }
        return a;
    }

    private static Map<String, Object> optimizer(TrainingSpec t) {
        String ours = t == null || t.optimizer() == null ? "adam" : t.optimizer();
        Map<String, Object> c = new LinkedHashMap<>();
        String cls = switch (ours) {
            case "sgd", "momentum", "nesterov" -> "SGD";
            case "rmsprop" -> "RMSprop";
            case "adagrad" -> "Adagrad";
            case "adadelta" -> "Adadelta";
            default -> "Adam";
        };
        c.put("name", cls);
        if (t != null && t.learningRate() != null) c.put("learning_rate", t.learningRate());
        if (!ours.equals("sgd") && cls.equals("SGD")) {
            c.put("momentum", t.momentum() == null ? 0.9 : t.momentum());
            c.put("nesterov", ours.equals("nesterov"));
        }
        return Map.of("class_name", cls, "config", c);
    }

    /** Adds a layer config and returns its Keras-style unique name (dense, dense_1, ...). */
    private String layer(String cls, String base, boolean inModel, Map<String, Object> config) {
        int n = names.merge(base, 1, Integer::sum);
        String name = n == 1 ? base : base + "_" + (n - 1);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", true);
        c.put("dtype", "float32");
        c.putAll(config);
        layers.add(Map.of("class_name", cls, "config", c));
        if (inModel) weights.putIfAbsent(name, Map.of());
        return name;
    }

    private static Map<String, Object> config(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static Map<String, Object> weightMap(Object... kv) {
        return config(kv);
    }

    private byte[] file(String modelConfig, String trainingConfig) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("keras-export", ".h5");
            try (WritableHdfFile f = HdfFile.write(tmp)) {
                f.putAttribute("backend", "tensorflow");
                f.putAttribute("keras_version", KERAS_VERSION);
                f.putAttribute("model_config", modelConfig);
                f.putAttribute("training_config", trainingConfig);
                WritableGroup g = f.putGroup("model_weights");
                g.putAttribute("backend", "tensorflow");
                g.putAttribute("keras_version", KERAS_VERSION);
                g.putAttribute("layer_names", weights.keySet().toArray(new String[0]));
                for (Map.Entry<String, Map<String, Object>> layer : weights.entrySet()) {
                    WritableGroup lg = g.putGroup(layer.getKey());
                    // jHDF cannot write an empty array; Keras' loader reads a missing weight_names as none
                    if (layer.getValue().isEmpty()) continue;
                    lg.putAttribute("weight_names", layer.getValue().keySet().stream().map(w -> layer.getKey() + "/" + w + ":0").toArray(String[]::new));
                    WritableGroup inner = lg.putGroup(layer.getKey());
                    layer.getValue().forEach((w, data) -> inner.putDataset(w + ":0", data));
                }
            }
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) tmp.toFile().delete();
        }
    }

    private static List<Double> toDoubles(float[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (float f : v) out.add((double) f);
        return out;
    }
}
