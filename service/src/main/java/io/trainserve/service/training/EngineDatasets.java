package io.trainserve.service.training;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.Model;
import io.trainserve.engine.Target;
import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.service.dataset.DatasetCatalog;
import io.trainserve.service.dataset.LoadedData;

/**
 * Stored datasets turned into engine datasets: the training set, and validation/test sets encoded
 * exactly like it (same feature columns and categories, same class names). When fine-tuning, the
 * features are encoded with the base model's input schema so its weights see what they were trained on.
 */
final class EngineDatasets {
    private final DatasetCatalog catalog;

    EngineDatasets(DatasetCatalog catalog) {
        this.catalog = catalog;
    }

    Dataset training(String datasetId, String target, boolean classification, String missing, Model base) {
        LoadedData data = catalog.load(catalog.get(datasetId, "datasetId"));
        if (data instanceof LoadedData.ImageData images) return DatasetBuilder.fromImages(images.images());
        var table = ((LoadedData.TableData) data).table();
        Dataset fresh = DatasetBuilder.fromTable(table, target, classification, missing);
        if (base == null || base.inputSchema().isImage()) return fresh;
        return DatasetBuilder.fromTable(table, target, base.inputSchema(), fresh.target(), missing);
    }

    Dataset like(Dataset train, String datasetId, String field, String missing) {
        LoadedData data = catalog.load(catalog.get(datasetId, field));
        if (data instanceof LoadedData.ImageData images) {
            return DatasetBuilder.fromImages(images.images(), (Target.Classes) train.target());
        }
        return DatasetBuilder.fromTable(((LoadedData.TableData) data).table(), train.target().column(), train.inputSchema(),
                train.target(), missing);
    }
}
