package io.trainserve.engine.interop;

import io.trainserve.engine.EngineInfo;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InvalidInputException;
import io.trainserve.engine.KerasImport;
import io.trainserve.engine.KerasImport.Options;
import io.trainserve.engine.Model;
import io.trainserve.engine.Provenance;
import io.trainserve.engine.Target;
import io.trainserve.engine.UnsupportedModelException;

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

/** How {@link KerasImport} reads a tf.keras 2.x {@code .h5} file into a {@link Model} (see there). */
public final class KerasImporter {
    private KerasImporter() {
    }

    /** True for files {@link #read} reads or refuses with a Keras-specific message: HDF5 files and Keras 3 {@code .keras} zips. */
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
        int[] in = mapped.inputShape();
        // a (None, timesteps, features) input: rows of timesteps x features values, read as a sequence by model.inputShape
        ModelSpec spec = new ModelSpec(mapped.layers(), loss, in.length == 2 ? List.of(in[0], in[1]) : null);
        Shape shape = in.length == 1 ? Shape.vector(in[0]) : in.length == 2 ? Shape.sequence(in[0], in[1]) : Shape.image(in[0], in[1], in[2]);
        InputSchema schema = in.length < 3
                ? InputSchema.numeric(IntStream.rangeClosed(1, shape.size()).mapToObj(i -> "x" + i).toList())
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
            return Target.values(KerasImport.TARGET);
        }
        if (loss.equals("binary_crossentropy") && units > 1) { // several sigmoid units: independent 0/1 labels
            List<String> labels = names != null ? List.copyOf(names) : IntStream.range(0, units).mapToObj(i -> "label_" + i).toList();
            if (labels.size() != units || labels.stream().distinct().count() != units) {
                throw new InvalidInputException("classNames", labels.toString(), units + " distinct names, one per output label");
            }
            return Target.labels(labels);
        }
        int classes = loss.equals("binary_crossentropy") ? 2 : units;
        if (names == null) return Target.classes(KerasImport.TARGET, IntStream.range(0, classes).mapToObj(Integer::toString).toList());
        if (names.size() != classes || names.stream().distinct().count() != classes) {
            throw new InvalidInputException("classNames", names.toString(), classes + " distinct names, one per output class");
        }
        return Target.classes(KerasImport.TARGET, List.copyOf(names));
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
