package io.trainserve.engine.backend;

import io.trainserve.engine.DataTable;
import io.trainserve.engine.Dataset;
import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.Target;
import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.engine.data.Descriptions;
import io.trainserve.engine.data.Table;
import io.trainserve.engine.spec.PreprocessingSpec;

import java.util.List;

/** A {@link DataTable} backed by the CSV reader's {@link Table}. */
record TableFile(Table table) implements DataTable {
    @Override
    public List<String> columnNames() {
        return table.columnNames();
    }

    @Override
    public int rowCount() {
        return table.rowCount();
    }

    @Override
    public String sha256() {
        return table.sha256();
    }

    @Override
    public List<List<String>> preview(int limit) {
        return table.preview(limit);
    }

    @Override
    public List<ColumnStats> columnStats() {
        return table.schema().stream().map(s -> new ColumnStats(s.name(), s.type().name(), s.count(), s.missing(), s.min(), s.max(),
                s.mean(), s.std(), s.distinctCount(), s.distinct())).toList();
    }

    @Override
    public DatasetDescription describe() {
        return Descriptions.of(table);
    }

    @Override
    public Dataset training(String target, boolean classification, PreprocessingSpec preprocessing) {
        return DatasetBuilder.training(table, target, classification, preprocessing);
    }

    @Override
    public Dataset unlabelled(PreprocessingSpec preprocessing) {
        return DatasetBuilder.unlabelled(table, preprocessing);
    }

    @Override
    public Dataset multiLabel(List<String> targets, PreprocessingSpec preprocessing) {
        return DatasetBuilder.multiLabel(table, targets, preprocessing);
    }

    @Override
    public Dataset like(String target, InputSchema schema, Target trainTarget, String missingPolicy) {
        return DatasetBuilder.fromTable(table, target, schema, trainTarget, missingPolicy);
    }
}
