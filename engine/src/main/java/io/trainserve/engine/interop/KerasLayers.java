package io.trainserve.engine.interop;

import io.trainserve.engine.UnsupportedModelException;
import io.trainserve.engine.nn.ConvGeometry;
import io.trainserve.engine.nn.Shape;
import io.trainserve.engine.spec.LayerSpec;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place Keras layers become ours: a Sequential {@code model_config} mapped to {@link LayerSpec}s
 * and the layer weights to our flat parameter and state arrays, in the order our layers bind them.
 * <ul>
 * <li>Dense: Keras' row-major kernel {@code [in, out]} becomes our column-major one; after a Flatten of an
 * image its rows are reordered from Keras' {@code (H, W, C)} flatten order to ours {@code (C, H, W)}.</li>
 * <li>Conv2D: channels-last kernels {@code [kH, kW, in, out]} become our {@code [out, in, kH, kW]}; images
 * are taken channels-first {@code [C, H, W]}, as every trainserve image model takes them.</li>
 * <li>BatchNormalization: gamma, beta (trainable), moving mean and variance (state), over the last axis only.</li>
 * <li>Activation: folded into the Dense or Conv2D right below when that one is linear.</li>
 * <li>Dropout, MaxPooling2D, Flatten, InputLayer map one to one (InputLayer gives the input shape).</li>
 * <li>Rescaling, first after the input only: {@code x * scale + offset} becomes the model's fixed scaling.</li>
 * <li>Embedding (first, no mask_zero), LSTM, GRU (reset_after only) and GlobalAveragePooling1D: their weights are
 * laid out as ours; a {@code (None, timesteps, features)} input becomes {@code model.inputShape}.</li>
 * </ul>
 */
public final class KerasLayers {
    public static final List<String> SUPPORTED = List.of("InputLayer", "Rescaling", "Dense", "Dropout", "BatchNormalization", "Conv2D",
            "MaxPooling2D", "Flatten", "Activation", "Embedding", "LSTM", "GRU", "GlobalAveragePooling1D");
    private static final List<String> ACTIVATIONS = List.of("linear", "relu", "sigmoid", "tanh", "softmax", "elu");

    /**
     * @param inputShape {@code [width]}, {@code [timesteps, features]} or channels-first {@code [C, H, W]}
     * @param scale      a leading Rescaling's scale per input feature (our order), or null
     * @param shift      its offset per input feature, or null
     */
    public record Result(List<LayerSpec> layers, float[] params, float[] state, int[] inputShape, float[] scale, float[] shift) {
    }

    private final Map<String, Map<String, KerasFile.Array>> weights;
    private final List<LayerSpec> specs = new ArrayList<>();
    private final FloatList params = new FloatList(), state = new FloatList();
    private Shape shape;
    /** For a vector that came from flattening an image: our position → Keras' position; null when they agree. */
    private int[] order;
    /** Whether the last layer is a Dense or Conv2D an Activation may fold into. */
    private boolean foldable;
    private float[] scale, shift;

    private KerasLayers(Map<String, Map<String, KerasFile.Array>> weights) {
        this.weights = weights;
    }

    public static Result map(KerasFile file) {
        JsonNode config = file.modelConfig();
        String cls = config.path("class_name").asString("");
        if (!cls.equals("Sequential")) {
            throw new UnsupportedModelException("model class '" + cls + "' is not supported (functional and subclassed models cannot be "
                    + "imported); supported: Sequential models of " + String.join(", ", SUPPORTED) + " layers");
        }
        JsonNode layers = config.path("config").isArray() ? config.path("config") : config.path("config").path("layers");
        if (!layers.isArray() || layers.isEmpty()) throw new UnsupportedModelException("the Sequential model has no layers");
        for (JsonNode layer : layers) {
            String lc = layer.path("class_name").asString("");
            if (!SUPPORTED.contains(lc)) {
                throw new UnsupportedModelException("layer '" + layer.path("config").path("name").asString("?") + "' of class " + lc
                        + " is not supported; supported layers: " + String.join(", ", SUPPORTED));
            }
        }
        KerasLayers m = new KerasLayers(file.weights());
        int[] input = inputShape(layers.get(0));
        m.shape = input.length == 1 ? Shape.vector(input[0]) : input.length == 2 ? Shape.sequence(input[0], input[1])
                : Shape.image(input[2], input[0], input[1]);
        for (JsonNode layer : layers) m.layer(layer);
        if (m.specs.isEmpty()) throw new UnsupportedModelException("the Sequential model has no layers after its input");
        return new Result(List.copyOf(m.specs), m.params.toArray(), m.state.toArray(), m.shape(input), m.scale, m.shift);
    }

    private int[] shape(int[] kerasInput) {
        return kerasInput.length < 3 ? kerasInput : new int[]{kerasInput[2], kerasInput[0], kerasInput[1]};
    }

    private static int[] inputShape(JsonNode first) {
        JsonNode c = first.path("config");
        JsonNode s = c.path("batch_input_shape");
        if (s.isMissingNode() || s.isNull()) s = c.path("batch_shape");
        if (!s.isArray() || s.size() < 2) {
            throw new UnsupportedModelException("the first layer '" + c.path("name").asString("?") + "' has no batch_input_shape: "
                    + "the model was saved before it was built; give it an input shape (an InputLayer or input_shape=...) and save again");
        }
        if (s.size() < 2 || s.size() > 4) {
            throw new UnsupportedModelException("input shape " + s + " is not supported; supported: (None, features), sequences "
                    + "(None, timesteps, features) or channels-last images (None, height, width, channels)");
        }
        int[] dims = new int[s.size() - 1];
        for (int i = 1; i < s.size(); i++) {
            if (!s.get(i).isNumber()) throw new UnsupportedModelException("input shape " + s + " has a free dimension; only the batch may be free");
            dims[i - 1] = s.get(i).asInt();
        }
        return dims;
    }

    private void layer(JsonNode layer) {
        String cls = layer.path("class_name").asString("");
        JsonNode c = layer.path("config");
        String name = c.path("name").asString("?");
        switch (cls) {
            case "InputLayer" -> {
                return;
            }
            case "Dense" -> dense(name, c);
            case "Dropout" -> specs.add(LayerSpec.dropout(c.path("rate").asDouble(0)));
            case "Rescaling" -> rescaling(name, c);
            case "BatchNormalization" -> batchNorm(name, c);
            case "Conv2D" -> conv(name, c);
            case "MaxPooling2D" -> pool(name, c);
            case "Flatten" -> flatten();
            case "Activation" -> activation(name, c);
            case "Embedding" -> embedding(name, c);
            case "LSTM", "GRU" -> recurrent(name, cls, c);
            case "GlobalAveragePooling1D" -> {
                if (!shape.isSequence()) throw new UnsupportedModelException("layer '" + name + "' (GlobalAveragePooling1D) needs a sequence, got " + shape);
                specs.add(LayerSpec.globalAveragePooling1d());
                shape = Shape.vector(shape.features());
            }
            default -> throw new IllegalStateException(cls); // checked in map
        }
        if (!cls.equals("Dense") && !cls.equals("Conv2D") && !cls.equals("Activation")) foldable = false;
    }

    private void dense(String name, JsonNode c) {
        if (shape.isSequence()) {
            throw new UnsupportedModelException("layer '" + name + "' (Dense) runs on each step of the sequence " + shape + "; supported: "
                    + "Dense on vectors only (a Flatten, a GlobalAveragePooling1D or return_sequences false before it)");
        }
        if (shape.isImage()) {
            throw new UnsupportedModelException("layer '" + name + "' (Dense) takes the image " + shape + " directly; supported: "
                    + "Dense on vectors only (put a Flatten before it)");
        }
        int units = c.path("units").asInt();
        int nIn = shape.size();
        KerasFile.Array k = array(name, "kernel", nIn, units);
        float[] w = new float[nIn * units];
        for (int i = 0; i < nIn; i++) {
            int from = order == null ? i : order[i];
            for (int j = 0; j < units; j++) w[i + j * nIn] = k.data()[from * units + j];
        }
        params.add(w);
        params.add(bias(name, c, units));
        specs.add(LayerSpec.dense(units, activation(name, c.path("activation").asString("linear"))));
        shape = Shape.vector(units);
        order = null;
        foldable = true;
    }

    private void embedding(String name, JsonNode c) {
        if (!specs.isEmpty() || shape.isSequence() || shape.isImage()) {
            throw new UnsupportedModelException("layer '" + name + "' (Embedding) is supported only as the first layer, on (None, tokens) input");
        }
        if (c.path("mask_zero").asBoolean(false)) throw new UnsupportedModelException("layer '" + name + "' (Embedding) has mask_zero true; supported: false");
        int vocabulary = c.path("input_dim").asInt(), dim = c.path("output_dim").asInt();
        params.add(array(name, "embeddings", vocabulary, dim).data());
        specs.add(LayerSpec.embedding(vocabulary, dim));
        shape = Shape.sequence(shape.size(), dim);
    }

    /** Keras' LSTM ({@code [4 units]} bias) or GRU with reset_after ({@code [2, 3 units]} biases): the same layouts as ours. */
    private void recurrent(String name, String cls, JsonNode c) {
        if (!shape.isSequence()) throw new UnsupportedModelException("layer '" + name + "' (" + cls + ") needs a sequence, got " + shape);
        boolean lstm = cls.equals("LSTM");
        for (String off : List.of("go_backwards", "stateful", "return_state", "time_major")) {
            if (c.path(off).asBoolean(false)) throw new UnsupportedModelException("layer '" + name + "' (" + cls + ") has " + off + " true; supported: false");
        }
        if (!c.path("use_bias").asBoolean(true)) throw new UnsupportedModelException("layer '" + name + "' (" + cls + ") has use_bias false; supported: true");
        if (c.path("recurrent_dropout").asDouble(0) != 0) {
            throw new UnsupportedModelException("layer '" + name + "' (" + cls + ") has recurrent_dropout " + c.path("recurrent_dropout") + "; supported: 0");
        }
        if (!lstm && !c.path("reset_after").asBoolean(true)) {
            throw new UnsupportedModelException("layer '" + name + "' (GRU) has reset_after false; supported: true (Keras 2's default)");
        }
        String act = recurrentActivation(name, cls, c.path("activation").asString("tanh"));
        String rec = recurrentActivation(name, cls, c.path("recurrent_activation").asString("sigmoid"));
        int units = c.path("units").asInt(), g = (lstm ? 4 : 3) * units;
        params.add(array(name, "kernel", shape.features(), g).data());
        params.add(array(name, "recurrent_kernel", units, g).data());
        params.add(lstm ? array(name, "bias", g).data() : array(name, "bias", 2, g).data());
        boolean sequences = c.path("return_sequences").asBoolean(false);
        LayerSpec spec = (lstm ? LayerSpec.lstm(units, sequences) : LayerSpec.gru(units, sequences)).withActivations(act, rec);
        double dropout = c.path("dropout").asDouble(0);
        specs.add(dropout > 0 ? spec.withDropout(dropout) : spec);
        shape = sequences ? Shape.sequence(shape.timesteps(), units) : Shape.vector(units);
    }

    private static String recurrentActivation(String layer, String cls, String keras) {
        if (!List.of("tanh", "sigmoid", "relu", "linear").contains(keras)) {
            throw new UnsupportedModelException("layer '" + layer + "' (" + cls + ") has activation '" + keras + "'; supported: tanh, sigmoid, relu, linear");
        }
        return keras;
    }

    private void conv(String name, JsonNode c) {
        channelsLast(name, c);
        if (!shape.isImage()) throw new UnsupportedModelException("layer '" + name + "' (Conv2D) needs an image input, got " + shape);
        for (JsonNode d : c.path("dilation_rate")) {
            if (d.asInt(1) != 1) throw new UnsupportedModelException("layer '" + name + "' (Conv2D) has dilation_rate " + c.path("dilation_rate") + "; supported: 1");
        }
        if (c.path("groups").asInt(1) != 1) throw new UnsupportedModelException("layer '" + name + "' (Conv2D) has groups " + c.path("groups") + "; supported: 1");
        int filters = c.path("filters").asInt();
        int[] k = pair(c.path("kernel_size")), st = pair(c.path("strides"));
        String padding = padding(name, c);
        int iC = shape.channels();
        KerasFile.Array kernel = array(name, "kernel", k[0], k[1], iC, filters);
        float[] w = new float[filters * iC * k[0] * k[1]];
        for (int o = 0; o < filters; o++) {
            for (int ch = 0; ch < iC; ch++) {
                for (int y = 0; y < k[0]; y++) {
                    for (int x = 0; x < k[1]; x++) {
                        w[((o * iC + ch) * k[0] + y) * k[1] + x] = kernel.data()[((y * k[1] + x) * iC + ch) * filters + o];
                    }
                }
            }
        }
        params.add(w);
        params.add(bias(name, c, filters));
        String act = activation(name, c.path("activation").asString("linear"));
        specs.add(new LayerSpec("conv2d", null, act, null, null, null, filters, List.of(k[0], k[1]), List.of(st[0], st[1]),
                padding, null, null, null, null, null, null));
        boolean same = padding.equals("same");
        shape = Shape.image(filters, ConvGeometry.outSize(shape.height(), k[0], st[0], same), ConvGeometry.outSize(shape.width(), k[1], st[1], same));
        foldable = true;
    }

    private void pool(String name, JsonNode c) {
        channelsLast(name, c);
        if (!shape.isImage()) throw new UnsupportedModelException("layer '" + name + "' (MaxPooling2D) needs an image input, got " + shape);
        int[] p = pair(c.path("pool_size"));
        int[] st = c.path("strides").isArray() ? pair(c.path("strides")) : p;
        String padding = padding(name, c);
        specs.add(new LayerSpec("max_pool2d", null, null, null, null, null, null, null, List.of(st[0], st[1]), padding,
                List.of(p[0], p[1]), null, null, null, null, null));
        boolean same = padding.equals("same");
        shape = Shape.image(shape.channels(), ConvGeometry.outSize(shape.height(), p[0], st[0], same),
                ConvGeometry.outSize(shape.width(), p[1], st[1], same));
    }

    private void rescaling(String name, JsonNode c) {
        if (!specs.isEmpty() || scale != null) {
            throw new UnsupportedModelException("layer '" + name + "' (Rescaling) is supported only as the first layer after the input");
        }
        scale = perFeature(name, c.path("scale"), 1f);
        shift = perFeature(name, c.path("offset"), 0f);
    }

    /** A number, or values shaped like one input (channels-last for images), as one value per input feature in our order. */
    private float[] perFeature(String name, JsonNode v, float fallback) {
        float[] out = new float[shape.size()];
        if (v.isMissingNode() || v.isNull() || v.isNumber()) {
            java.util.Arrays.fill(out, v.isNumber() ? v.floatValue() : fallback);
            return out;
        }
        FloatList flat = new FloatList();
        collect(v, flat);
        float[] keras = flat.toArray();
        if (keras.length != out.length) {
            throw new UnsupportedModelException("layer '" + name + "' (Rescaling) has " + keras.length + " values; supported: one number, or "
                    + out.length + " shaped like one input");
        }
        if (!shape.isImage()) return keras;
        int ch = shape.channels(), h = shape.height(), w = shape.width();
        for (int c = 0; c < ch; c++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out[(c * h + y) * w + x] = keras[(y * w + x) * ch + c];
        return out;
    }

    private static void collect(JsonNode v, FloatList into) {
        if (v.isArray()) {
            for (JsonNode e : v) collect(e, into);
        } else {
            into.add(new float[]{v.floatValue()});
        }
    }

    private void flatten() {
        if (shape.isImage()) {
            int ch = shape.channels(), h = shape.height(), w = shape.width();
            order = new int[ch * h * w];
            for (int c = 0; c < ch; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) order[(c * h + y) * w + x] = (y * w + x) * ch + c;
                }
            }
        }
        specs.add(LayerSpec.flatten());
        shape = Shape.vector(shape.size());
    }

    private void batchNorm(String name, JsonNode c) {
        JsonNode axis = c.path("axis").isArray() && c.path("axis").size() == 1 ? c.path("axis").get(0) : c.path("axis");
        int rank = shape.isImage() ? 4 : shape.isSequence() ? 3 : 2;
        if (!(axis.isNumber() && (axis.asInt() == -1 || axis.asInt() == rank - 1))) {
            throw new UnsupportedModelException("layer '" + name + "' (BatchNormalization) normalizes axis " + c.path("axis")
                    + "; supported: the last axis (features, or channels of channels-last images)");
        }
        int n = shape.isImage() ? shape.channels() : shape.isSequence() ? shape.features() : shape.size();
        Map<String, KerasFile.Array> w = weights.getOrDefault(name, Map.of());
        params.add(vector(name, w, "gamma", n, 1f));
        params.add(vector(name, w, "beta", n, 0f));
        state.add(vector(name, w, "moving_mean", n, Float.NaN));
        state.add(vector(name, w, "moving_variance", n, Float.NaN));
        specs.add(new LayerSpec("batch_norm", null, null, null, null, null, null, null, null, null, null,
                c.path("momentum").asDouble(0.99), c.path("epsilon").asDouble(0.001), null, null, null));
    }

    private void activation(String name, JsonNode c) {
        String act = activation(name, c.path("activation").asString("linear"));
        LayerSpec last = specs.isEmpty() ? null : specs.get(specs.size() - 1);
        if (act.equals("linear")) return;
        if (!foldable || last == null || !(last.activation() == null || last.activation().equals("linear"))) {
            throw new UnsupportedModelException("layer '" + name + "' (Activation " + act + ") is supported only right after a Dense or "
                    + "Conv2D layer with activation linear (it is folded into that layer)");
        }
        specs.set(specs.size() - 1, new LayerSpec(last.type(), last.units(), act, last.init(), last.alpha(), last.rate(), last.filters(),
                last.kernelSize(), last.strides(), last.padding(), last.poolSize(), last.momentum(), last.epsilon(), null, null, null));
    }

    private static String activation(String layer, String keras) {
        if (!ACTIVATIONS.contains(keras)) {
            throw new UnsupportedModelException("layer '" + layer + "' has activation '" + keras + "'; supported: " + String.join(", ", ACTIVATIONS));
        }
        return keras;
    }

    private static void channelsLast(String name, JsonNode c) {
        String f = c.path("data_format").asString("channels_last");
        if (!f.equals("channels_last")) {
            throw new UnsupportedModelException("layer '" + name + "' has data_format " + f + "; supported: channels_last");
        }
    }

    private static String padding(String name, JsonNode c) {
        String p = c.path("padding").asString("valid");
        if (!p.equals("valid") && !p.equals("same")) {
            throw new UnsupportedModelException("layer '" + name + "' has padding " + p + "; supported: valid, same");
        }
        return p;
    }

    private static int[] pair(JsonNode n) {
        if (n.isNumber()) return new int[]{n.asInt(), n.asInt()};
        if (n.isArray() && n.size() == 2) return new int[]{n.get(0).asInt(), n.get(1).asInt()};
        if (n.isArray() && n.size() == 1) return new int[]{n.get(0).asInt(), n.get(0).asInt()};
        return new int[]{1, 1};
    }

    private KerasFile.Array array(String layer, String weight, int... dims) {
        KerasFile.Array a = weights.getOrDefault(layer, Map.of()).get(weight);
        if (a == null) throw new UnsupportedModelException("layer '" + layer + "' has no weight '" + weight + "' in model_weights");
        if (!java.util.Arrays.equals(a.dims(), dims)) {
            throw new UnsupportedModelException("layer '" + layer + "' weight '" + weight + "' has shape " + java.util.Arrays.toString(a.dims())
                    + "; expected " + java.util.Arrays.toString(dims) + " for the layer's input " + shape);
        }
        return a;
    }

    private float[] bias(String layer, JsonNode c, int n) {
        return c.path("use_bias").asBoolean(true) ? array(layer, "bias", n).data() : new float[n];
    }

    /** A per-feature vector, or {@code fill} when the layer has none (BatchNormalization with center/scale false). */
    private float[] vector(String layer, Map<String, KerasFile.Array> w, String weight, int n, float fill) {
        KerasFile.Array a = w.get(weight);
        if (a == null) {
            if (Float.isNaN(fill)) array(layer, weight, n); // throws naming the missing weight
            float[] f = new float[n];
            java.util.Arrays.fill(f, fill);
            return f;
        }
        if (a.data().length != n) array(layer, weight, n); // throws naming the shape
        if (order == null) return a.data();
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = a.data()[order[i]];
        return f;
    }

    /** A growing float array. */
    private static final class FloatList {
        private float[] data = new float[64];
        private int size;

        void add(float[] values) {
            if (size + values.length > data.length) data = java.util.Arrays.copyOf(data, Math.max(2 * data.length, size + values.length));
            System.arraycopy(values, 0, data, size, values.length);
            size += values.length;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
