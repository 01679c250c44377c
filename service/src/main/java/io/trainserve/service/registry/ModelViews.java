package io.trainserve.service.registry;

import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.EvaluationReport;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.Model;
import io.trainserve.engine.Target;
import io.trainserve.engine.spec.TargetSpec;
import io.trainserve.engine.Provenance;
import io.trainserve.engine.Summary;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.service.system.NotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The JSON bodies of the model endpoints (see api-spec: ModelListItem, Model, ModelVersion). */
@Component
public class ModelViews {
    private final ModelRegistry registry;
    private final VersionLineage lineage;
    private final JsonMapper json;
    private final ModelAliases aliases;

    ModelViews(ModelRegistry registry, VersionLineage lineage, JsonMapper json, ModelAliases aliases) {
        this.aliases = aliases;
        this.registry = registry;
        this.lineage = lineage;
        this.json = json;
    }

    /** One row of {@code GET /models}. */
    record ListItem(String id, int latestVersion, int versionCount, Instant updatedAt) {
    }

    /** {@code GET /models/{id}}: the versions, oldest first, with their metrics, and the aliases (name → version). */
    record ModelView(String id, int latestVersion, List<VersionSummary> versions, Map<String, Integer> aliases) {
    }

    /** @param testMetrics the test set's scalar metrics (accuracy, loss, ...), when the job had a test set */
    record VersionSummary(int version, Instant createdAt, String jobId, Map<String, Double> metrics, Map<String, Double> testMetrics,
                          long bundleSizeBytes) {
    }

    /**
     * {@code GET /models/{id}/versions/{v}}: everything the bundle knows about a version.
     *
     * @param baseModel the version its job fine-tuned or continued from, if any
     */
    public record VersionView(String modelId, int version, Instant createdAt, String jobId, VersionLineage.BaseModel baseModel,
                              String bundleSha256, long bundleSizeBytes, String task, TargetSpec target, ModelSpec spec, TrainingSpec training, SummaryView summary,
                              PreprocessingView preprocessing, List<String> classNames, InputSchemaView inputSchema,
                              Map<String, Double> metrics, EvaluationReport testMetrics, Provenance provenance, List<EpochMetrics> history) {
    }

    record SummaryView(List<Summary.Row> layers, long trainableParams, long nonTrainableParams, long totalParams) {
    }

    /**
     * @param scaling the fitted scaling (none, minmax, minmax_symmetric, standardize, pixel), or fixed (given at a Keras import)
     * @param note    for an imported model, what it expects of its inputs (it has no fitted scaling)
     */
    record PreprocessingView(String scaling, String missing, String note) {
    }

    /** @param width numbers per row after one-hot expansion */
    record InputSchemaView(List<InputSchema.Feature> features, List<Integer> imageShape, int width) {
    }

    List<ListItem> list() {
        return registry.modelIds().stream().map(registry::versions).filter(v -> !v.isEmpty()).map(versions -> {
            ModelRegistry.VersionInfo last = versions.get(versions.size() - 1);
            return new ListItem(last.modelId(), last.version(), versions.size(), last.createdAt());
        }).toList();
    }

    ModelView model(String id) {
        List<ModelRegistry.VersionInfo> versions = registry.versions(id);
        if (versions.isEmpty()) throw new NotFoundException("model", id);
        return new ModelView(id, versions.get(versions.size() - 1).version(), versions.stream().map(this::summary).toList(),
                aliases.of(id));
    }

    public VersionView version(String id, int version) {
        ModelRegistry.VersionInfo info = registry.version(id, version)
                .orElseThrow(() -> new NotFoundException("model version", id + " v" + version));
        Model m = registry.load(id, version);
        Model.Parts p = m.parts();
        Summary s = m.summary();
        InputSchema schema = m.inputSchema();
        String missing = p.preprocessing() == null || p.preprocessing().missing() == null ? "error" : p.preprocessing().missing();
        return new VersionView(id, version, info.createdAt(), info.jobId(), lineage.baseModelOf(info.jobId()).orElse(null),
                info.bundleSha256(), info.bundleSizeBytes(),
                task(m.target()), m.anomalyDetector() != null ? null
                        : m.target() instanceof Target.Labels l ? TargetSpec.labels(l.columns()) : TargetSpec.column(m.target().column()),
                m.spec(), p.training(),
                new SummaryView(s.layers(), s.trainableParams(), s.nonTrainableParams(), s.totalParams()),
                new PreprocessingView(p.scaling().kind(), missing, importNote(m)), m.classNames(),
                new InputSchemaView(schema.features(), schema.imageShape(), schema.width()),
                m.metrics(), m.testMetrics(), m.provenance(), m.history());
    }

    /** classification, regression, multi_label (a list of 0/1 target columns) or anomaly (an autoencoder, no target). */
    static String task(Target t) {
        return t instanceof Target.Reconstruction ? "anomaly" : t instanceof Target.Labels ? "multi_label"
                : t.classification() ? "classification" : "regression";
    }

    private static String importNote(Model m) {
        if (m.provenance() == null || m.provenance().imported() == null) return null;
        return m.parts().scaling().kind().equals("fixed")
                ? "imported model without fitted scaling: inputs are scaled by the fixed x * scale + shift given at import"
                : "imported model without fitted scaling: inputs are used as given, so send them already scaled as the model was "
                        + "trained (or import again with a preprocessing field)";
    }

    private VersionSummary summary(ModelRegistry.VersionInfo v) {
        Map<String, Double> metrics = v.metricsJson() == null ? null : json.readValue(v.metricsJson(), new TypeReference<>() {});
        Map<String, Double> test = v.testMetricsJson() == null ? null : json.readValue(v.testMetricsJson(), EvaluationReport.class).metrics();
        return new VersionSummary(v.version(), v.createdAt(), v.jobId(), metrics, test, v.bundleSizeBytes());
    }
}
