package io.trainserve.engine;

import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The one-file model format: a zip holding {@code manifest.json} (spec, training settings, fitted
 * scaling, input schema, class names, metrics, provenance, history) and the arrays written with
 * ND4J's own serializer: {@code params.bin}, {@code state.bin}, {@code updater.bin}. A checkpoint adds
 * {@code progress.json} and the best-weight snapshots.
 */
final class ModelBundle {
    static {
        NativeRuntime.prepare(); // before ND4J loads its OpenMP runtime
    }

    static final String FORMAT = "trainserve-model";
    static final int FORMAT_VERSION = 1;
    static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    record Manifest(String format, int formatVersion, ModelSpec spec, TrainingSpec training, PreprocessingSpec preprocessing,
                    InputSchema inputSchema, TargetJson target, Scaling scaling, int iteration, Map<String, Double> metrics,
                    EvaluationReport test, Provenance provenance, List<EpochMetrics> history, Summary summary) {
    }

    /**
     * The target as bundles have always stored it, plus {@code labels}: the label columns of a multi-label
     * target, and for an autoencoder {@code reconstruction} with its anomaly threshold and the quantile it was
     * fitted at (each absent for the other kinds, so older bundles read as before).
     */
    record TargetJson(String column, boolean classification, int classCount, List<String> classNames, List<String> labels,
                      Boolean reconstruction, Double anomalyThreshold, Double anomalyQuantile) {
        static TargetJson of(Target t) {
            if (t instanceof Target.Reconstruction r) return new TargetJson(null, false, 0, List.of(), null, true, r.threshold(), r.quantile());
            return new TargetJson(t.column(), t.classification(), t.classCount(), t.classNames(),
                    t instanceof Target.Labels l ? l.columns() : null, null, null, null);
        }

        Target target() {
            if (Boolean.TRUE.equals(reconstruction)) return new Target.Reconstruction(anomalyThreshold, anomalyQuantile);
            if (labels != null) return Target.labels(labels);
            return classification ? Target.classes(column, classNames) : Target.values(column);
        }
    }

    record Contents(Model model, Checkpoint checkpoint) {
    }

    private ModelBundle() {
    }

    static void write(Model model, Checkpoint checkpoint, OutputStream out) throws IOException {
        Model.Parts p = model.parts();
        ZipOutputStream zip = new ZipOutputStream(out);
        put(zip, "manifest.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Manifest(FORMAT, FORMAT_VERSION,
                p.spec(), p.training(), p.preprocessing(), p.inputSchema(), TargetJson.of(p.target()), p.scaling(), p.iteration(), p.metrics(),
                p.test(), p.provenance(), p.history(), model.summary())));
        putArray(zip, "params.bin", p.params());
        putArray(zip, "state.bin", p.state());
        if (p.updaterState() != null) putArray(zip, "updater.bin", p.updaterState());
        if (checkpoint != null) {
            put(zip, "progress.json", JSON.writeValueAsBytes(checkpoint.progress()));
            putPair(zip, "early-best", checkpoint.earlyStoppingBest());
            putPair(zip, "checkpoint-best", checkpoint.checkpointBest());
        }
        zip.finish();
        zip.flush();
    }

    static Contents read(InputStream in) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) entries.put(e.getName(), zip.readAllBytes());
        }
        byte[] manifestBytes = entries.get("manifest.json");
        if (manifestBytes == null || !entries.containsKey("params.bin")) {
            throw new IOException("not a trainserve model bundle: manifest.json or params.bin missing");
        }
        Manifest m = JSON.readValue(manifestBytes, Manifest.class);
        if (!FORMAT.equals(m.format()) || m.formatVersion() > FORMAT_VERSION) {
            throw new IOException("unsupported bundle format " + m.format() + " v" + m.formatVersion());
        }
        Model model = new Model(new Model.Parts(m.spec(), m.training(), m.preprocessing(), m.inputSchema(), m.target().target(), m.scaling(),
                array(entries, "params.bin"), array(entries, "state.bin"), array(entries, "updater.bin"), m.iteration(),
                m.metrics(), m.test(), m.provenance(), m.history()));
        Checkpoint checkpoint = null;
        if (entries.containsKey("progress.json")) {
            checkpoint = new Checkpoint(model, JSON.readValue(entries.get("progress.json"), Checkpoint.Progress.class),
                    pair(entries, "early-best"), pair(entries, "checkpoint-best"));
        }
        return new Contents(model, checkpoint);
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void putArray(ZipOutputStream zip, String name, INDArray a) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(buffer)) {
            Nd4j.write(a, data);
        }
        put(zip, name, buffer.toByteArray());
    }

    private static void putPair(ZipOutputStream zip, String prefix, INDArray[] pair) throws IOException {
        if (pair == null) return;
        putArray(zip, prefix + "-params.bin", pair[0]);
        putArray(zip, prefix + "-state.bin", pair[1]);
    }

    private static INDArray array(Map<String, byte[]> entries, String name) throws IOException {
        byte[] bytes = entries.get(name);
        if (bytes == null) return null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        }
    }

    private static INDArray[] pair(Map<String, byte[]> entries, String prefix) throws IOException {
        INDArray params = array(entries, prefix + "-params.bin");
        return params == null ? null : new INDArray[]{params, array(entries, prefix + "-state.bin")};
    }
}
