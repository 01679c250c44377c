package io.trainserve.engine;

import io.trainserve.engine.spec.TargetSpec;
import io.trainserve.engine.spec.Violation;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the root vocabulary asks of the engine's implementation packages (networks, training, interop,
 * readers). The root package depends on none of them and they all depend on it, so the packages form
 * no cycle (PackageCyclesTest): the root's entry points ({@link Trainer}, {@link Model},
 * {@link KerasImport}, {@link DataFiles}, ...) reach the one implementation, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services}), through this interface. Not for callers:
 * use the entry points.
 */
public interface EngineBackend {

    /** A model's network made ready to run; thread-safe. */
    interface Inference {
        /** Raw outputs (probabilities or values), row-major {@code count x units}, of encoded but unscaled rows. */
        float[] outputs(float[] encodedRows, int count);

        /** Scaled rows through the plain-Java small-batch path (to cross-check it against {@link #batchOutputs}). */
        float[] fastOutputs(float[] scaledRows, int count);

        /** Scaled rows through the network's batch path in one go. */
        float[] batchOutputs(float[] scaledRows, int count);

        /**
         * An autoencoder's reconstruction error per row: the mean squared error between the scaled rows and
         * {@code outputs}, their reconstructions from {@link #outputs}; the space the anomaly threshold is in.
         */
        double[] anomalyScores(float[] encodedRows, float[] outputs, int count);

        /** The metrics of the model on {@code data}; an autoencoder's against 1/0 (anomaly/normal) labels in its target. */
        EvaluationReport evaluate(Dataset data);

        Summary summary();

        int outputUnits();
    }

    Inference inference(Model.Parts parts);

    List<Violation> check(Plan plan, DataDescription data);

    List<Violation> check(Plan plan, DatasetDescription data, TargetSpec target);

    TrainingResult train(TrainingRequest request, TrainingListener listener, CheckpointStore checkpoints, BooleanSupplier cancelled);

    boolean recognizesKeras(byte[] file);

    Model readKeras(byte[] file, KerasImport.Options options);

    byte[] toH5(Model model);

    byte[] toOnnx(Model model);

    DataTable readCsv(Path file);

    ImageData readIdx(Path images, Path labels);

    ImageData readImageFolders(Path zip, int height, int width, ImageFolderLimits limits);

    int[] imageSize(byte[] file);

    byte[] imagePixels(byte[] file, int channels, int height, int width);
}
