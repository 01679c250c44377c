package io.trainserve.engine;

import java.util.List;

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
        return Backend.INSTANCE.recognizesKeras(file);
    }

    public static Model read(byte[] file, Options options) {
        return Backend.INSTANCE.readKeras(file, options);
    }
}
