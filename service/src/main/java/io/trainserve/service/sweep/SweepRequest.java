package io.trainserve.service.sweep;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /sweeps} (see api-spec: SweepRequest). Stored with its defaults filled in (the seed included),
 * so every instance steps the sweep the same way.
 *
 * @param job              a job spec without {@code modelId}; each trial is this spec with the parameters set
 * @param parameters       by JSON path of the job spec, e.g. {@code training.learningRate}, {@code model.layers[1].units}
 * @param versionAllTrials true: every successful trial's model becomes a version; default false: only the best one's
 */
record SweepRequest(String modelId, JsonNode job, Map<String, Parameter> parameters, Strategy strategy, Objective objective,
                    Boolean versionAllTrials) {

    /** Either {@code values} to pick from, or a {@code type} (uniform, loguniform, int) with {@code min} and {@code max}. */
    record Parameter(List<JsonNode> values, String type, Double min, Double max) {
    }

    /**
     * @param type              grid, random or asha
     * @param reductionFactor   asha: a trial goes on past a rung only if it is in the best 1/reductionFactor there
     * @param minEpochs         asha: the first rung; the next ones are minEpochs * reductionFactor^k
     */
    record Strategy(String type, Integer maxTrials, Integer maxConcurrentTrials, Long seed, Integer reductionFactor, Integer minEpochs) {
    }

    /** @param goal minimize or maximize */
    record Objective(String metric, String goal) {
        boolean maximize() {
            return "maximize".equals(goal);
        }
    }

    boolean versionsAllTrials() {
        return Boolean.TRUE.equals(versionAllTrials);
    }
}
