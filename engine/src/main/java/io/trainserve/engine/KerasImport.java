package io.trainserve.engine;

import io.trainserve.engine.interop.KerasFile;
import io.trainserve.engine.interop.KerasLayers;
import io.trainserve.engine.interop.KerasTraining;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.nn.Shape;
import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Keras models in: a tf.keras 2.x {@code .h5} file of a Sequential model becomes a {@link Model} that
 * predicts, evaluates and fine-tunes like a trained one. The file carries no fitted scaling: inputs are
 * used as given unless a fixed {@code x * scale + shift} is supplied. Inputs are tabular rows
 * {@code x1..xn}, or images channels-first {@code [C, H, W]} like every image model here (the importer
 * converts Keras' channels-last kernels). Unsupported content raises {@link UnsupportedModelException}
 * naming the layer or class and what is supported.
 */
public final class KerasImport {
    static {
        NativeRuntime.prepare(); // before ND4J loads its OpenMP runtime
    }

    /** The column name imported models give their target. */
    public static final String TARGET = "output";

    /**
     * @param fileName   the uploaded file's name (provenance)
     * @param scale      fixed input scale: one number for every feature, or one per feature; null for 1
     * @param shift      fixed input shift, likewise; null for 0
     * @param classNames the output classes' names in output order; null for "0", "1", ...
     */
    public record Options(String fileName, float[] scale, float[] shift, List<String> classNames) {
        public static Options named(String fileName) {
            return new Options(fileName, null, null, null);
        }
    }

    private KerasImport() {
    }

    /** True for files this class reads or refuses with a Keras-specific message: HDF5 files and Keras 3 {@code .keras} zips. */
    public static boolean recognizes(byte[] file) {
        return KerasFile.isHdf5(file) || isKeras3(file);
    }

    public static Model read(byte[] file, Options options) {
        if (isKeras3(file)) {
            throw new UnsupportedModelException("a Keras 3 .keras file (zip of config.json and model.weights.h5) is not supported; "
                    + "supported: tf.keras 2.x / Keras 2 .h5 files (model.save('model.h5'))");
        }
        KerasFile keras = KerasFile.read(file);
        KerasLayers.Result mapped;
        try {
            mapped = KerasLayers.map(keras);
        } catch (UnsupportedModelException e) {
            throw e;
        } catch (RuntimeException e) { // a model_config of unexpected shape: still the file's fault, never a server error
            throw new UnsupportedModelException("the file's model_config cannot be read as a Sequential model ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        LayerSpec last = mapped.layers().get(mapped.layers().size() - 1);
        if (!"dense".equals(last.type())) {
            throw new UnsupportedModelException("the last layer maps to " + last.type() + "; supported: a Dense output layer (with its "
                    + "activation, or an Activation right after it)");
        }
        String activation = last.activation() == null ? "linear" : last.activation();
        String loss = KerasTraining.loss(keras.trainingConfig(), activation, last.units());
        ModelSpec spec = new ModelSpec(mapped.layers(), loss);
        int[] in = mapped.inputShape();
        Shape shape = in.length == 1 ? Shape.vector(in[0]) : Shape.image(in[0], in[1], in[2]);
        InputSchema schema = in.length == 1
                ? InputSchema.numeric(IntStream.rangeClosed(1, in[0]).mapToObj(i -> "x" + i).toList())
                : InputSchema.image(in[0], in[1], in[2]);
        Target target = target(loss, last.units(), options.classNames());
        List<Violation> violations = NetworkBuilder.validate(spec, shape, target);
        if (!violations.isEmpty()) {
            throw new UnsupportedModelException("the model maps to layers this engine cannot run: " + violations.stream()
                    .map(v -> v.field() + " " + v.given() + " (expected " + v.allowed() + ")").collect(Collectors.joining("; ")));
        }
        if (mapped.scale() != null && (options.scale() != null || options.shift() != null)) {
            throw new InvalidInputException("preprocessing", "a fixed scaling", "none: the file's Rescaling layer already scales the inputs");
        }
        Scaling scaling = mapped.scale() != null ? new Scaling("fixed", mapped.scale(), mapped.shift()) : scaling(options, schema.width());
        TrainingSpec training = KerasTraining.training(keras.trainingConfig());
        Provenance provenance = new Provenance(null, 0, EngineInfo.version(), EngineInfo.nd4jVersion(), EngineInfo.jvm(), EngineInfo.os(),
                null, 0, 0, null, new Provenance.Imported("keras-h5", options.fileName(), sha256(file), keras.kerasVersion(),
                keras.backend(), Instant.now().toString()));
        float[] state = mapped.state().length == 0 ? new float[1] : mapped.state();
        return new Model(new Model.Parts(spec, training, new PreprocessingSpec(scaling.kind(), null), schema, target, scaling,
                Nd4j.createFromArray(mapped.params()), Nd4j.createFromArray(state), null, 0, java.util.Map.of(), null, provenance, List.of()));
    }

    private static Target target(String loss, int units, List<String> names) {
        if (!io.trainserve.engine.spec.Loss.predictsClasses(loss)) {
            if (names != null) throw new InvalidInputException("classNames", names.toString(), "none: the model outputs a value (loss " + loss + ")");
            return Target.values(TARGET);
        }
        if (loss.equals("binary_crossentropy") && units > 1) { // several sigmoid units: independent 0/1 labels
            List<String> labels = names != null ? List.copyOf(names) : IntStream.range(0, units).mapToObj(i -> "label_" + i).toList();
            if (labels.size() != units || labels.stream().distinct().count() != units) {
                throw new InvalidInputException("classNames", labels.toString(), units + " distinct names, one per output label");
            }
            return Target.labels(labels);
        }
        int classes = loss.equals("binary_crossentropy") ? 2 : units;
        if (names == null) return Target.classes(TARGET, IntStream.range(0, classes).mapToObj(Integer::toString).toList());
        if (names.size() != classes || names.stream().distinct().count() != classes) {
            throw new InvalidInputException("classNames", names.toString(), classes + " distinct names, one per output class");
        }
        return Target.classes(TARGET, List.copyOf(names));
    }

    private static Scaling scaling(Options o, int width) {
        if (o.scale() == null && o.shift() == null) {
            float[] ones = new float[width];
            Arrays.fill(ones, 1f);
            return new Scaling("none", ones, new float[width]);
        }
        return new Scaling("fixed", widen("preprocessing.scale", o.scale(), 1f, width), widen("preprocessing.shift", o.shift(), 0f, width));
    }

    private static float[] widen(String field, float[] values, float fallback, int width) {
        float[] out = new float[width];
        if (values == null || values.length == 1) {
            Arrays.fill(out, values == null ? fallback : values[0]);
            return out;
        }
        if (values.length != width) {
            throw new InvalidInputException(field, values.length + " numbers", "one number, or " + width + " (one per input feature)");
        }
        return values.clone();
    }

    private static boolean isKeras3(byte[] file) {
        if (file.length < 4 || file[0] != 'P' || file[1] != 'K' || file[2] != 3 || file[3] != 4) return false;
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals("manifest.json")) return false; // a trainserve bundle (its first entry): stop reading
                names.add(e.getName());
            }
        } catch (IOException e) {
            return false;
        }
        return names.contains("config.json") && (names.contains("model.weights.h5") || names.contains("metadata.json"));
    }

    private static String sha256(byte[] file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
