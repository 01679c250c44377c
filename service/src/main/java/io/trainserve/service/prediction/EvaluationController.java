package io.trainserve.service.prediction;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.EvaluationReport;
import io.trainserve.engine.Model;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.Violation;
import io.trainserve.service.dataset.EngineDatasets;
import io.trainserve.service.registry.ModelRegistry;
import io.trainserve.service.system.BadRequestException;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Metrics of a trained version on a stored dataset, encoded exactly as the model was trained. */
@RestController
class EvaluationController {
    private final ModelRegistry registry;
    private final EngineDatasets datasets;

    EvaluationController(ModelRegistry registry, EngineDatasets datasets) {
        this.registry = registry;
        this.datasets = datasets;
    }

    /**
     * @param target      the label column; defaults to the model's training target
     * @param labelColumn an anomaly model's label column, 1 = anomaly and 0 = normal (for other models the same as {@code target})
     */
    record EvaluateRequest(String datasetId, String target, String labelColumn) {
        String column() {
            return labelColumn != null ? labelColumn : target;
        }
    }

    /**
     * Classification: loss, accuracy, per-class precision/recall/F1, confusion matrix (rows actual, columns predicted).
     * Anomaly: loss (mean anomaly score), precision, recall, f1, roc_auc, accuracy and threshold, with classes normal/anomaly.
     */
    record EvaluationView(String modelId, int version, String datasetId, long rows, Map<String, Double> metrics,
                          List<EvaluationReport.ClassMetrics> perClass, List<String> classNames, long[][] confusionMatrix) {
    }

    @PostMapping("/models/{id}/versions/{version}/evaluate")
    EvaluationView evaluate(@PathVariable String id, @PathVariable int version, @RequestBody EvaluateRequest request) {
        if (request.datasetId() == null || request.datasetId().isBlank()) {
            throw new BadRequestException("datasetId", "nothing", "the id of a stored dataset");
        }
        Model model = registry.load(id, version);
        Dataset data;
        try {
            data = datasets.forModel(model, request.datasetId(), "datasetId", request.column());
        } catch (InvalidSpecException e) {
            Violation v = e.violations().isEmpty() ? null : e.violations().get(0);
            if (v == null) throw new BadRequestException("datasetId", request.datasetId(), e.getMessage());
            // the engine names the data it encodes "dataset": here that is the request's datasetId; it names the label
            // column "target", which the request may have called labelColumn
            String field = "dataset".equals(v.field()) ? "datasetId"
                    : "target".equals(v.field()) && request.labelColumn() != null ? "labelColumn" : v.field();
            throw new BadRequestException(field, v.given(), v.allowed());
        }
        EvaluationReport r = model.evaluate(data);
        return new EvaluationView(id, version, request.datasetId(), r.rows(), r.metrics(), r.perClass(), r.classNames(),
                r.confusionMatrix());
    }
}
