package io.trainserve.service.training;

import io.trainserve.engine.Model;
import io.trainserve.engine.Plan;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.Violation;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a job spec meets the engine, in one place: the spec as an engine {@link Plan}, and the engine's
 * field names for what is not a spec part (the plan's component names) back as the job spec's JSON paths.
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
        return new Plan(s.model(), s.training(), s.preprocessing(), v == null ? null : v.split(), v != null && v.datasetId() != null,
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

    static List<Violation> jsonPaths(List<Violation> violations) {
        return violations.stream().map(EngineTerms::jsonPath).toList();
    }

    static InvalidSpecException jsonPaths(InvalidSpecException e) {
        return new InvalidSpecException(jsonPaths(e.violations()));
    }

    private static Violation jsonPath(Violation v) {
        String path = JSON_PATHS.get(v.field());
        return path == null ? v : new Violation(path, v.given(), v.allowed());
    }
}
