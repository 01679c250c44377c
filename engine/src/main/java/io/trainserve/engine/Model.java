package io.trainserve.engine;

import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained network with everything needed to use it on raw rows: the fitted scaling, the input
 * schema, the class names, the spec, provenance and metrics, plus the optimizer state so training
 * can continue. Immutable; predict and evaluate are thread-safe (the network is run by the engine's
 * {@link EngineBackend.Inference}).
 */
public final class Model {
    static {
        NativeRuntime.prepare(); // before ND4J loads its OpenMP runtime
    }

    private final Parts parts;
    private final EngineBackend.Inference network;
    /** Set when the model starts with an embedding: its inputs are token ids. */
    private final TokenIds tokens;

    /**
     * @param updaterState optimizer state (may be null), saved so training can continue
     * @param iteration    optimizer steps taken so far
     */
    public record Parts(ModelSpec spec, TrainingSpec training, PreprocessingSpec preprocessing, InputSchema inputSchema,
                        Target target, Scaling scaling, INDArray params, INDArray state, INDArray updaterState,
                        int iteration, Map<String, Double> metrics, EvaluationReport test, Provenance provenance,
                        List<EpochMetrics> history) {
    }

    public Model(Parts parts) {
        this.parts = parts;
        this.network = Backend.INSTANCE.inference(parts);
        this.tokens = TokenIds.of(parts.spec());
    }

    public Parts parts() { return parts; }

    public ModelSpec spec() { return parts.spec(); }

    public InputSchema inputSchema() { return parts.inputSchema(); }

    public Target target() { return parts.target(); }

    public List<String> classNames() { return parts.target().classNames(); }

    public Map<String, Double> metrics() { return parts.metrics(); }

    public EvaluationReport testMetrics() { return parts.test(); }

    public Provenance provenance() { return parts.provenance(); }

    public List<EpochMetrics> history() { return parts.history(); }

    public Summary summary() { return network.summary(); }

    /**
     * What a predict call checks beyond the schema: for a model starting with an embedding, that every value
     * is a token id. Callers run it on a request's own rows before they are batched with others.
     *
     * @throws InvalidInputException naming {@code instances[i].column}, the value and the allowed range
     */
    public void checkInstances(float[] encodedRows, int count) {
        if (tokens != null) tokens.checkInstances(encodedRows, count, inputSchema());
    }

    /** For a model starting with an embedding, what its inputs must be; else null. */
    public TokenIds tokenIds() { return tokens; }

    /** Already encoded (one-hot expanded) but unscaled rows, {@code count x width}, row-major. */
    public List<Prediction> predict(float[] encodedRows, int count) {
        float[] out = outputs(encodedRows, count);
        if (parts.target() instanceof Target.Reconstruction r) {
            List<Prediction> predictions = new ArrayList<>(count);
            for (double score : anomalyScores(encodedRows, out, count)) predictions.add(Prediction.anomaly(score, r.anomalous(score)));
            return predictions;
        }
        int k = isSoftmax() || parts.target() instanceof Target.Labels ? outputUnits() : 1;
        List<Prediction> predictions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) predictions.add(toPrediction(out, i, k));
        return predictions;
    }

    /**
     * An autoencoder's reconstruction error per row: the mean squared error between the scaled rows and
     * {@code outputs}, their reconstructions from {@link #outputs}; the space the anomaly threshold is in.
     */
    public double[] anomalyScores(float[] encodedRows, float[] outputs, int count) {
        return network.anomalyScores(encodedRows, outputs, count);
    }

    /** The fitted anomaly threshold of an autoencoder ({@code "task": "anomaly"}), else null. */
    public Target.Reconstruction anomalyDetector() {
        return parts.target() instanceof Target.Reconstruction r ? r : null;
    }

    /** Raw network outputs (probabilities or values), row-major {@code count x units}. */
    public float[] outputs(float[] encodedRows, int count) {
        return network.outputs(encodedRows, count);
    }

    float[] fastOutputs(float[] scaled, int count) {
        return network.fastOutputs(scaled, count);
    }

    float[] batchOutputs(float[] scaled, int count) {
        return network.batchOutputs(scaled, count);
    }

    public EvaluationReport evaluate(Dataset data) {
        if (data.width() != inputSchema().width()) {
            throw new InvalidInputException("dataset", data.width() + " features per row",
                    inputSchema().width() + " features, as the model was trained on");
        }
        io.trainserve.engine.spec.Violation badToken = tokens == null ? null : tokens.rowViolation("datasetId", data, false);
        if (badToken != null) throw new InvalidInputException(badToken.field(), badToken.given(), badToken.allowed());
        return network.evaluate(data);
    }

    public void save(OutputStream out) throws IOException {
        ModelBundle.write(this, null, out);
    }

    public static Model load(InputStream in) throws IOException {
        return ModelBundle.read(in).model();
    }

    private boolean isSoftmax() {
        String loss = parts.spec().loss();
        return loss.equals("categorical_crossentropy") || loss.equals("sparse_categorical_crossentropy");
    }

    private int outputUnits() {
        return network.outputUnits();
    }

    /** Multi-label: every label's probability, and the labels whose probability is at least {@code threshold}. */
    static Prediction labels(Target.Labels t, float[] out, int row, int k, double threshold) {
        Map<String, Double> probabilities = new LinkedHashMap<>();
        List<String> on = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            double p = out[row * k + j];
            probabilities.put(t.columns().get(j), p);
            if (p >= threshold) on.add(t.columns().get(j));
        }
        return new Prediction(null, null, probabilities, null, List.copyOf(on));
    }

    private Prediction toPrediction(float[] out, int row, int k) {
        Target t = parts.target();
        if (!t.classification()) return new Prediction(null, null, null, (double) out[row]);
        if (t instanceof Target.Labels l) return labels(l, out, row, k, Prediction.DEFAULT_THRESHOLD);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        int best;
        if (isSoftmax()) {
            best = 0;
            for (int j = 0; j < k; j++) {
                probabilities.put(t.classNames().get(j), (double) out[row * k + j]);
                if (out[row * k + j] > out[row * k + best]) best = j;
            }
        } else { // one sigmoid unit: probability of the second class
            double p = out[row];
            probabilities.put(t.classNames().get(0), 1 - p);
            probabilities.put(t.classNames().get(1), p);
            best = p >= 0.5 ? 1 : 0;
        }
        return new Prediction(t.classNames().get(best), best, probabilities, null);
    }
}
