package io.trainserve.service.training;

import io.trainserve.engine.Model;
import io.trainserve.engine.Plan;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a job spec meets the engine, in one place: the spec as an engine {@link Plan} (the top-level
 * {@code features} / {@code exclude} travel in its preprocessing, where the engine reads them), and the
 * engine's field names for what is not a spec part (the plan's component names) back as the job spec's JSON paths.
 */
final class EngineTerms {
    /** The engine's name for the data a reader is encoding (it does not know which of the plan's datasets that is). */
    private static final String DATASET = "dataset";
    /**
     * Engine name → JSON path; {@code model.*}, {@code training.*}, {@code preprocessing.*}, {@code target}, {@code task}
     * and {@code anomaly.*} are the same on both sides.
     */
    private static final Map<String, String> JSON_PATHS = Map.of(
            "train", "datasetId",
            "validationSplit", "validation.split",
            "validation", "validation.datasetId",
            "test", "test.datasetId",
            "freezeLayers", "baseModel.freezeLayers");

    private EngineTerms() {
    }

    static Plan plan(JobSpec s, Model base) {
        JobSpec.Validation v = s.validation();
        return new Plan(s.model(), s.training(), preprocessing(s), v == null ? null : v.split(), v != null && v.datasetId() != null,
                base, s.baseModel() == null || s.baseModel().freezeLayers() == null ? 0 : s.baseModel().freezeLayers(),
                s.task(), s.anomaly());
    }

    /**
     * Loads the plan's {@code role} data ({@code train}, {@code validation}, {@code test}): a violation the engine
     * names {@code dataset} is renamed to the role, which {@link #jsonPaths} then turns into the JSON path.
     */
    static <T> T loading(String role, Supplier<T> load) {
        try {
            return load.get();
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(e.violations().stream()
                    .map(v -> DATASET.equals(v.field()) ? new Violation(role, v.given(), v.allowed()) : v).toList());
        }
    }

    /** The spec's preprocessing with the top-level feature selection, or the old {@code preprocessing.features}/{@code exclude}. */
    static PreprocessingSpec preprocessing(JobSpec s) {
        PreprocessingSpec p = s.preprocessing();
        if (s.features() == null && s.exclude() == null) return p;
        if (p == null) return new PreprocessingSpec(null, null, s.features(), s.exclude(), null);
        return new PreprocessingSpec(p.scaling(), p.missing(), s.features() != null ? s.features() : p.features(),
                s.exclude() != null ? s.exclude() : p.exclude(), p.maxCategories());
    }

    /** A feature selection given in both places: the top level and the old {@code preprocessing.*}. */
    static List<Violation> selectionTwice(JobSpec s) {
        List<Violation> v = new ArrayList<>();
        PreprocessingSpec p = s.preprocessing();
        if (p == null) return v;
        if (s.features() != null && p.features() != null) {
            v.add(new Violation("features", "both features and preprocessing.features", "one of them (features is the documented place)"));
        }
        if (s.exclude() != null && p.exclude() != null) {
            v.add(new Violation("exclude", "both exclude and preprocessing.exclude", "one of them (exclude is the documented place)"));
        }
        return v;
    }

    static List<Violation> jsonPaths(JobSpec s, List<Violation> violations) {
        return violations.stream().map(v -> jsonPath(s, v)).toList();
    }

    static List<Violation> jsonPaths(List<Violation> violations) {
        return jsonPaths(null, violations);
    }

    static InvalidSpecException jsonPaths(InvalidSpecException e) {
        return new InvalidSpecException(jsonPaths(e.violations()));
    }

    private static Violation jsonPath(JobSpec s, Violation v) {
        String path = JSON_PATHS.get(v.field());
        if (path == null && s != null && s.preprocessing() != null) { // the old place, when the job used it
            if ("features".equals(v.field()) && s.features() == null && s.preprocessing().features() != null) path = "preprocessing.features";
            if ("exclude".equals(v.field()) && s.exclude() == null && s.preprocessing().exclude() != null) path = "preprocessing.exclude";
        }
        return path == null ? v : new Violation(path, v.given(), v.allowed());
    }
}
