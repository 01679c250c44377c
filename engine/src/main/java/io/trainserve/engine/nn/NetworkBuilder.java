package io.trainserve.engine.nn;

import io.trainserve.engine.Model;
import io.trainserve.engine.Target;
import io.trainserve.engine.spec.Activation;
import io.trainserve.engine.spec.Init;
import io.trainserve.engine.spec.KerasDefaults;
import io.trainserve.engine.spec.LayerType;
import io.trainserve.engine.spec.Loss;
import io.trainserve.engine.spec.Padding;
import io.trainserve.engine.spec.Vocabulary;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.Violation;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link ModelSpec} into a {@link Network} for a given input shape and target, checking
 * everything first: every problem found becomes a {@link Violation} naming the field, the value
 * given and what is allowed, and nothing is built unless there are none.
 */
public final class NetworkBuilder {
    public static final List<String> LAYER_TYPES = Vocabulary.names(LayerType.class);
    public static final List<String> LOSSES = Vocabulary.names(Loss.class);
    public static final List<String> PADDINGS = Vocabulary.names(Padding.class);

    /** An embedding table's size cap (inputDim x outputDim values): 40 MB in float32. */
    public static final long MAX_EMBEDDING_PARAMS = 10_000_000;

    private NetworkBuilder() {
    }

    /** Builds a freshly initialized network from a spec already checked by {@link #validate} (through {@code Trainer.check}). */
    public static Network build(ModelSpec spec, Shape inputShape, long seed) {
        Network n = assemble(spec, inputShape, null, null);
        n.initialize(seed);
        return n;
    }

    public static List<Violation> validate(ModelSpec spec, Shape inputShape, Target target) {
        List<Violation> v = new ArrayList<>();
        if (spec == null || spec.layers() == null || spec.layers().isEmpty()) {
            v.add(new Violation("model.layers", "none", "a list of layers ending with a dense output layer"));
            return v;
        }
        new Walker(spec, inputShape, v).walk();
        checkLoss(spec, target, inputShape.size(), v);
        return v;
    }

    /** Rebuilds a trained network around saved parameters and state (spec validated when it was trained). */
    public static Network restore(ModelSpec spec, Shape inputShape, INDArray params, INDArray state) {
        return assemble(spec, inputShape, params, state);
    }

    /** The network of a trained model, with its weights. */
    public static Network restore(Model.Parts p) {
        return restore(p.spec(), Shape.of(p.inputSchema(), p.spec()), p.params(), p.state());
    }

    /** Builds without validation (specs already validated, e.g. loaded from a bundle). */
    static Network assemble(ModelSpec spec, Shape inputShape, INDArray params, INDArray state) {
        return assemble(spec, inputShape, params, state, true);
    }

    /** @param poolInConvolutions let a convolution pool its own output into a max-pooling layer right above (tests compare both) */
    static Network assemble(ModelSpec spec, Shape inputShape, INDArray params, INDArray state, boolean poolInConvolutions) {
        List<Layer> layers = new ArrayList<>();
        Shape shape = inputShape;
        int count = spec.layers().size();
        for (int i = 0; i < count; i++) {
            Layer l = create(spec.layers().get(i), i, shape, i == count - 1, i == 0 ? null : layers.get(i - 1));
            layers.add(l);
            shape = l.outputShape();
        }
        for (int i = 0; poolInConvolutions && i + 1 < count; i++) {
            if (layers.get(i) instanceof Conv2DLayer conv && layers.get(i + 1) instanceof MaxPool2DLayer pool) conv.poolInto(pool);
        }
        DenseLayer out = (DenseLayer) layers.get(count - 1);
        return new Network(spec, inputShape, layers, head(spec.loss(), out), params, state);
    }

    private static LossHead head(String loss, DenseLayer out) {
        return switch (Loss.parse(loss).orElseThrow().task()) {
            case CLASSIFICATION -> new SoftmaxCrossEntropy();
            case BINARY -> new SigmoidBinaryCrossEntropy();
            case REGRESSION -> new RegressionLoss(loss, out.activation(), out.units());
        };
    }

    private static Layer create(LayerSpec s, int i, Shape in, boolean last, Layer below) {
        String name = s.type() + "_" + i;
        // above a flatten of images, dL/dInput goes back row-major: the flatten then passes a view
        // down instead of reordering it (ND4J's assign: 496 µs for the benchmark CNN's 100 x 1600)
        boolean rowMajorInputGradient = below instanceof FlattenLayer && below.inputShape().isImage();
        return switch (s.type()) {
            case "dense" -> new DenseLayer(name, in, s.units(), s.activation(), s.alpha(), s.init(), last, rowMajorInputGradient);
            case "dropout" -> new DropoutLayer(name, in, s.rate());
            case "batch_norm" -> in.isSequence()
                    ? new SequenceBatchNormLayer(name, in, orDefault(s.momentum(), KerasDefaults.BATCH_NORM_MOMENTUM),
                    orDefault(s.epsilon(), KerasDefaults.BATCH_NORM_EPSILON))
                    : new BatchNormLayer(name, in, orDefault(s.momentum(), KerasDefaults.BATCH_NORM_MOMENTUM),
                    orDefault(s.epsilon(), KerasDefaults.BATCH_NORM_EPSILON));
            case "lstm" -> new LstmLayer(name, in, s.units(), Boolean.TRUE.equals(s.returnSequences()), s.activation(),
                    s.recurrentActivation(), s.dropout());
            case "gru" -> new GruLayer(name, in, s.units(), Boolean.TRUE.equals(s.returnSequences()), s.activation(),
                    s.recurrentActivation(), s.dropout());
            case "embedding" -> new EmbeddingLayer(name, in, s.inputDim(), s.outputDim());
            case "global_average_pooling1d" -> new GlobalAveragePooling1DLayer(name, in);
            case "flatten" -> new FlattenLayer(name, in);
            case "conv2d" -> {
                int[] k = pair(s.kernelSize(), KerasDefaults.CONV_KERNEL), st = pair(s.strides(), KerasDefaults.CONV_STRIDE);
                yield new Conv2DLayer(name, in, s.filters(), k[0], k[1], st[0], st[1], "same".equals(s.padding()),
                        s.activation(), s.alpha(), s.init());
            }
            case "max_pool2d" -> {
                int[] p = pair(s.poolSize(), KerasDefaults.POOL_SIZE), st = s.strides() == null ? p : pair(s.strides(), 1);
                yield new MaxPool2DLayer(name, in, p[0], p[1], st[0], st[1], "same".equals(s.padding()));
            }
            default -> throw new IllegalArgumentException("unknown layer " + s.type());
        };
    }

    /** A [h, w] pair from a one- or two-element list (kernel, stride, pool sizes), or {@code fallback} for both. */
    public static int[] pair(List<Integer> values, int fallback) {
        if (values == null || values.isEmpty()) return new int[]{fallback, fallback};
        return values.size() == 1 ? new int[]{values.get(0), values.get(0)} : new int[]{values.get(0), values.get(1)};
    }

    private static double orDefault(Double d, double fallback) {
        return d == null ? fallback : d;
    }

    private static void checkLoss(ModelSpec spec, Target target, int inputWidth, List<Violation> v) {
        String loss = spec.loss();
        Loss known = Loss.parse(loss).orElse(null);
        if (known == null) {
            v.add(new Violation("model.loss", String.valueOf(loss), Vocabulary.allowed(Loss.class)));
            return;
        }
        int lastIndex = spec.layers().size() - 1;
        LayerSpec last = spec.layers().get(lastIndex);
        if (!"dense".equals(last.type())) return; // reported by the walker
        String at = "model.layers[" + lastIndex + "]";
        String act = last.activation() == null ? KerasDefaults.ACTIVATION.wire() : last.activation();
        int units = last.units() == null ? -1 : last.units();
        if (target instanceof Target.Reconstruction) {
            checkAutoencoder(loss, known, at, act, units, inputWidth, v);
            return;
        }
        if (target instanceof Target.Labels labels) {
            checkLabels(known, at, act, units, labels, v);
            return;
        }
        if (known == Loss.BINARY_CROSSENTROPY && target instanceof Target.Values) { // 0-1 regression
            if (!"sigmoid".equals(act)) v.add(new Violation(at + ".activation", act, "sigmoid (binary_crossentropy on values in [0, 1])"));
            if (units != 1) v.add(new Violation(at + ".units", String.valueOf(units), "1 (one value for target '" + target.column() + "')"));
            return;
        }
        if (known.task().classes() != target.classification()) {
            v.add(new Violation("model.loss", loss, target.classification()
                    ? "a classification loss (sparse_categorical_crossentropy, categorical_crossentropy, binary_crossentropy) for class target '" + target.column() + "'"
                    : "mse or mae for numeric target '" + target.column() + "'"));
            return;
        }
        switch (known.task()) {
            case CLASSIFICATION -> {
                if (!"softmax".equals(act)) v.add(new Violation(at + ".activation", act, "softmax (the output of " + loss + ")"));
                if (units != target.classCount()) {
                    v.add(new Violation(at + ".units", String.valueOf(units), target.classCount() + " (target '" + target.column()
                            + "' has " + target.classCount() + " classes: " + preview(target.classNames()) + ")"));
                }
            }
            case BINARY -> {
                if (target.classCount() != 2) {
                    v.add(new Violation("target", "'" + target.column() + "' with " + target.classCount() + " classes "
                            + preview(target.classNames()), "exactly 2 classes for binary_crossentropy; use sparse_categorical_crossentropy for more"));
                }
                if (!"sigmoid".equals(act)) v.add(new Violation(at + ".activation", act, "sigmoid (the output of binary_crossentropy)"));
                if (units != 1) v.add(new Violation(at + ".units", String.valueOf(units), "1 (one sigmoid unit gives the probability of class '"
                        + (target.classNames().size() > 1 ? target.classNames().get(1) : "1") + "')"));
            }
            case REGRESSION -> {
                if (units != 1) v.add(new Violation(at + ".units", String.valueOf(units), "1 (one value for target '" + target.column() + "')"));
                if ("softmax".equals(act)) v.add(new Violation(at + ".activation", act, "linear, sigmoid, tanh, relu, leaky_relu or elu for " + loss));
            }
        }
    }

    /** Task anomaly: the output reconstructs the input, so it is as wide as the input and trained with mse. */
    private static void checkAutoencoder(String loss, Loss known, String at, String act, int units, int inputWidth, List<Violation> v) {
        if (known != Loss.MSE) {
            v.add(new Violation("model.loss", loss, "mse (task anomaly trains an autoencoder to reconstruct its input with mean squared error)"));
        }
        if (units != inputWidth) {
            v.add(new Violation(at + ".units", String.valueOf(units), inputWidth + " (task anomaly: the last layer reconstructs the input, "
                    + "so it is as wide as the input's " + inputWidth + " features)"));
        }
        if ("softmax".equals(act)) v.add(new Violation(at + ".activation", act, "linear, sigmoid, tanh, relu, leaky_relu or elu for an autoencoder"));
    }

    /** Multi-label: binary_crossentropy on one sigmoid unit per label column. */
    private static void checkLabels(Loss loss, String at, String act, int units, Target.Labels target, List<Violation> v) {
        int k = target.columns().size();
        if (loss != Loss.BINARY_CROSSENTROPY) {
            v.add(new Violation("model.loss", loss.wire(), "binary_crossentropy for the multi-label target " + preview(target.columns())
                    + " (each label is an independent 0/1 probability)"));
        }
        if (!"sigmoid".equals(act)) {
            v.add(new Violation(at + ".activation", act, "sigmoid (one independent probability per label of the multi-label target)"));
        }
        if (units != k) {
            v.add(new Violation(at + ".units", String.valueOf(units), k + " (one sigmoid unit per label column " + preview(target.columns()) + ")"));
        }
    }

    private static String preview(List<String> names) {
        return names.size() <= 12 ? names.toString() : names.subList(0, 12) + "...";
    }

    /** Walks the layers computing shapes, so shape errors name the layer where they occur. */
    private static final class Walker {
        private final ModelSpec spec;
        private final List<Violation> v;
        private Shape shape;

        Walker(ModelSpec spec, Shape input, List<Violation> v) {
            this.spec = spec;
            this.shape = input;
            this.v = v;
        }

        void walk() {
            List<LayerSpec> layers = spec.layers();
            for (int i = 0; i < layers.size(); i++) {
                LayerSpec s = layers.get(i);
                String at = "model.layers[" + i + "]";
                if (s == null || Vocabulary.parse(LayerType.class, s.type()).isEmpty()) {
                    v.add(new Violation(at + ".type", s == null ? "null" : String.valueOf(s.type()), Vocabulary.allowed(LayerType.class)));
                    return; // shapes after an unknown layer are meaningless
                }
                if (!layer(s, at, i)) return;
            }
            LayerSpec last = layers.get(layers.size() - 1);
            if (!"dense".equals(last.type())) {
                v.add(new Violation("model.layers[" + (layers.size() - 1) + "].type", last.type(), "dense (the output layer must be dense)"));
            }
        }

        /** @return false when the shape after this layer cannot be known */
        private boolean layer(LayerSpec s, String at, int index) {
            if (index > 0 && s.type().equals("embedding")) {
                v.add(new Violation(at + ".type", "embedding", "embedding only as the first layer, model.layers[0] "
                        + "(it reads each row's columns as token ids)"));
                return false;
            }
            switch (s.type()) {
                case "dense" -> {
                    if (shape.isSequence()) {
                        v.add(new Violation(at + ".type", "dense", "a layer on vectors: the sequence " + shape
                                + " needs a flatten or global_average_pooling1d first, or returnSequences false on the lstm/gru below"));
                        return false;
                    }
                    if (s.units() == null || s.units() < 1) {
                        v.add(new Violation(at + ".units", String.valueOf(s.units()), "an integer >= 1"));
                        return false;
                    }
                    activation(s, at);
                    init(s, at);
                    shape = Shape.vector(s.units());
                }
                case "dropout" -> {
                    if (s.rate() == null || !(s.rate() >= 0 && s.rate() < 1)) {
                        v.add(new Violation(at + ".rate", String.valueOf(s.rate()), "a number in [0, 1)"));
                    }
                }
                case "batch_norm" -> {
                    if (s.momentum() != null && !(s.momentum() >= 0 && s.momentum() < 1)) {
                        v.add(new Violation(at + ".momentum", String.valueOf(s.momentum()), "a number in [0, 1) (default 0.99)"));
                    }
                    if (s.epsilon() != null && !(s.epsilon() > 0)) {
                        v.add(new Violation(at + ".epsilon", String.valueOf(s.epsilon()), "a number > 0 (default 0.001)"));
                    }
                }
                case "flatten" -> shape = Shape.vector(shape.size());
                case "lstm", "gru" -> {
                    return recurrent(s, at);
                }
                case "embedding" -> {
                    return embedding(s, at);
                }
                case "global_average_pooling1d" -> {
                    if (!shape.isSequence()) {
                        v.add(new Violation(at + ".type", s.type(), "global_average_pooling1d only on sequences (after an embedding, "
                                + "or an lstm/gru with returnSequences true; input here is " + shape + ")"));
                        return false;
                    }
                    shape = Shape.vector(shape.features());
                }
                case "conv2d", "max_pool2d" -> {
                    return window(s, at);
                }
                default -> throw new IllegalStateException(s.type());
            }
            return true;
        }

        private boolean recurrent(LayerSpec s, String at) {
            if (!shape.isSequence()) {
                v.add(new Violation(at + ".type", s.type(), s.type() + " only on sequences: set model.inputShape [timesteps, features] "
                        + "(or start with an embedding for token ids) and put lstm/gru layers first, above one another with "
                        + "returnSequences true (input here is " + shape + ")"));
                return false;
            }
            if (s.units() == null || s.units() < 1) {
                v.add(new Violation(at + ".units", String.valueOf(s.units()), "an integer >= 1"));
                return false;
            }
            for (String[] f : new String[][]{{"activation", s.activation()}, {"recurrentActivation", s.recurrentActivation()}}) {
                if (f[1] != null && !Recurrent.ACTIVATIONS.contains(f[1])) {
                    v.add(new Violation(at + "." + f[0], f[1], "one of " + String.join(", ", Recurrent.ACTIVATIONS)));
                }
            }
            if (s.dropout() != null && !(s.dropout() >= 0 && s.dropout() < 1)) {
                v.add(new Violation(at + ".dropout", String.valueOf(s.dropout()), "a number in [0, 1) (default 0)"));
            }
            shape = Boolean.TRUE.equals(s.returnSequences()) ? Shape.sequence(shape.timesteps(), s.units()) : Shape.vector(s.units());
            return true;
        }

        /** Token ids in, a {@code [width, outputDim]} sequence out; {@link #layer} has checked that it comes first. */
        private boolean embedding(LayerSpec s, String at) {
            if (shape.isSequence()) {
                v.add(new Violation("model.inputShape", shape.toString(), "nothing with an embedding first layer: each row's "
                        + "columns are its token sequence (as many time steps as columns)"));
                return false;
            }
            if (shape.isImage()) {
                v.add(new Violation(at + ".type", "embedding", "embedding only on table rows of token ids (input here is the image " + shape + ")"));
                return false;
            }
            boolean ok = true;
            for (Object[] f : new Object[][]{{"inputDim", s.inputDim(), "the vocabulary size: token ids are 0..inputDim-1"},
                    {"outputDim", s.outputDim(), "the width of each token's vector"}}) {
                Integer d = (Integer) f[1];
                if (d == null || d < 1) {
                    v.add(new Violation(at + "." + f[0], String.valueOf(d), "an integer >= 1 (" + f[2] + ")"));
                    ok = false;
                }
            }
            if (!ok) return false;
            if ((long) s.inputDim() * s.outputDim() > MAX_EMBEDDING_PARAMS) {
                v.add(new Violation(at + ".inputDim", s.inputDim() + " x outputDim " + s.outputDim(),
                        "a table of at most " + MAX_EMBEDDING_PARAMS + " values (inputDim x outputDim)"));
                return false;
            }
            shape = Shape.sequence(shape.size(), s.outputDim());
            return true;
        }

        private boolean window(LayerSpec s, String at) {
            if (!shape.isImage()) {
                v.add(new Violation(at + ".type", s.type(), "conv2d and max_pool2d only on image input, before any flatten or dense layer (input here is " + shape + ")"));
                return false;
            }
            boolean conv = s.type().equals("conv2d");
            if (conv && (s.filters() == null || s.filters() < 1)) {
                v.add(new Violation(at + ".filters", String.valueOf(s.filters()), "an integer >= 1"));
                return false;
            }
            List<Integer> kernelField = conv ? s.kernelSize() : s.poolSize();
            String kernelName = conv ? "kernelSize" : "poolSize";
            if (!validPair(kernelField, at + "." + kernelName) || !validPair(s.strides(), at + ".strides")) return false;
            Violation padding = Vocabulary.unknown(Padding.class, at + ".padding", s.padding());
            if (padding != null) {
                v.add(padding);
                return false;
            }
            if (conv) {
                activation(s, at);
                init(s, at);
            }
            int[] k = pair(kernelField, conv ? KerasDefaults.CONV_KERNEL : KerasDefaults.POOL_SIZE);
            int[] st = s.strides() == null ? (conv ? pair(null, KerasDefaults.CONV_STRIDE) : k) : pair(s.strides(), 1);
            boolean same = "same".equals(s.padding());
            int h = ConvGeometry.outSize(shape.height(), k[0], st[0], same);
            int w = ConvGeometry.outSize(shape.width(), k[1], st[1], same);
            if (h < 1 || w < 1) {
                v.add(new Violation(at + "." + kernelName, k[0] + "x" + k[1], "at most the input's " + shape.height() + "x" + shape.width()
                        + " with padding valid (or use padding same)"));
                return false;
            }
            shape = Shape.image(conv ? s.filters() : shape.channels(), h, w);
            return true;
        }

        private boolean validPair(List<Integer> values, String field) {
            if (values == null) return true;
            if (values.isEmpty() || values.size() > 2 || values.stream().anyMatch(x -> x == null || x < 1)) {
                v.add(new Violation(field, String.valueOf(values), "one or two integers >= 1, e.g. [3, 3]"));
                return false;
            }
            return true;
        }

        private void activation(LayerSpec s, String at) {
            Violation unknown = Vocabulary.unknown(Activation.class, at + ".activation", s.activation());
            if (unknown != null) v.add(unknown);
        }

        private void init(LayerSpec s, String at) {
            Violation unknown = Vocabulary.unknown(Init.class, at + ".init", s.init());
            if (unknown != null) v.add(unknown);
        }
    }
}
