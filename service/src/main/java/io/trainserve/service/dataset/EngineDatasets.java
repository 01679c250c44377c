package io.trainserve.service.dataset;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.Model;
import io.trainserve.engine.Plan;
import io.trainserve.engine.Target;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.spec.TargetSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.service.system.BadRequestException;
import org.springframework.stereotype.Component;

/**
 * Stored datasets turned into engine datasets: the training set, and validation/test sets encoded
 * exactly like it (same feature columns and categories, same class names). When fine-tuning, the
 * features are encoded with the base model's input schema so its weights see what they were trained on.
 */
@Component
public class EngineDatasets {
    private final DatasetCatalog catalog;

    EngineDatasets(DatasetCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The training set of a job: {@code target} one column (classes or values, as {@link Trainer#predictsClasses}
     * decides for the plan) or a list of 0/1 columns (multi-label); null for an image dataset's labels.
     */
    public Dataset training(String datasetId, TargetSpec target, Plan plan, Model base) {
        PreprocessingSpec preprocessing = plan.preprocessing();
        String missing = preprocessing == null ? null : preprocessing.missing();
        DatasetRef ref = catalog.get(datasetId, "datasetId");
        LoadedData data = catalog.load(ref);
        if (data instanceof LoadedData.ImageData images) return images.images().dataset();
        var table = ((LoadedData.TableData) data).table();
        String column = target == null ? null : target.single();
        Dataset fresh = target != null && target.multiLabel() ? table.multiLabel(target.columns(), preprocessing)
                : table.training(column, Trainer.predictsClasses(plan, catalog.description(ref), column), preprocessing);
        if (base == null || base.inputSchema().isImage()) return fresh;
        return table.like(column, base.inputSchema(), fresh.target(), missing);
    }

    /**
     * The training set of an anomaly job: no target, every selected column is a feature the autoencoder
     * reconstructs; when fine-tuning, encoded with the base model's input schema.
     */
    public Dataset unlabelled(String datasetId, PreprocessingSpec preprocessing, Model base) {
        LoadedData data = catalog.load(catalog.get(datasetId, "datasetId"));
        if (!(data instanceof LoadedData.TableData table)) {
            throw new BadRequestException("datasetId", "an image dataset", "a CSV dataset: task anomaly reconstructs table rows");
        }
        Dataset fresh = table.table().unlabelled(preprocessing);
        if (base == null || base.inputSchema().isImage()) return fresh;
        return table.table().like(null, base.inputSchema(), fresh.target(), preprocessing == null ? null : preprocessing.missing());
    }

    public Dataset like(Dataset train, String datasetId, String field, String missing) {
        LoadedData data = catalog.load(catalog.get(datasetId, field));
        if (data instanceof LoadedData.ImageData images) {
            return images.images().dataset((Target.Classes) train.target());
        }
        return ((LoadedData.TableData) data).table().like(train.target().column(), train.inputSchema(), train.target(), missing);
    }

    /**
     * A stored dataset encoded the way {@code model} was trained (its input schema, its class names),
     * e.g. to evaluate a trained version on new data.
     *
     * @param field        the request field that named the dataset (for 404 and 400 problems)
     * @param targetColumn the label column; null means the model's training target column
     */
    public Dataset forModel(Model model, String datasetId, String field, String targetColumn) {
        LoadedData data = catalog.load(catalog.get(datasetId, field));
        Target kind = model.target();
        String column = targetColumn != null ? targetColumn : kind.column();
        if (model.inputSchema().isImage()) {
            if (!(data instanceof LoadedData.ImageData images)) {
                throw new BadRequestException(field, "a CSV dataset", "an image dataset (IDX or image folders), like the one the model was trained on");
            }
            return images.images().dataset(new Target.Classes(column, new int[0], kind.classNames()));
        }
        if (!(data instanceof LoadedData.TableData table)) {
            throw new BadRequestException(field, "an image dataset", "a CSV dataset with the model's feature columns "
                    + model.inputSchema().features().stream().map(f -> f.name()).toList() + " and '" + column + "'");
        }
        if (kind instanceof Target.Reconstruction && column == null) {
            throw new BadRequestException("labelColumn", "nothing", "the column of '" + datasetId + "' holding 1 for an anomaly and 0 for a normal row"
                    + " (an anomaly model has no target of its own)");
        }
        if (kind instanceof Target.Labels && targetColumn != null) {
            throw new BadRequestException("target", "\"" + targetColumn + "\"", "nothing: a multi-label model is evaluated on its label columns "
                    + kind.classNames());
        }
        Target target = kind instanceof Target.Labels ? kind.described()
                : kind.classification() ? new Target.Classes(column, new int[0], kind.classNames())
                : new Target.Values(column, new float[0]);
        return table.table().like(column, model.inputSchema(), target, null);
    }
}
