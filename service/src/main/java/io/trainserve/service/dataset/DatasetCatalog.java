package io.trainserve.service.dataset;

import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.data.Descriptions;
import io.trainserve.service.system.ConflictException;
import io.trainserve.service.system.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The stored datasets as other features see them: look up, load parsed, delete when unused. */
@Component
public class DatasetCatalog {
    private final StoredDatasetRepository repository;
    private final DatasetLoader loader;
    private final DatasetFiles files;
    private final DatasetUsage usage;
    private final JsonMapper json;

    private final TransactionTemplate ownTransaction;

    DatasetCatalog(StoredDatasetRepository repository, DatasetLoader loader, DatasetFiles files, DatasetUsage usage,
                   JsonMapper json, PlatformTransactionManager transactions) {
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.repository = repository;
        this.loader = loader;
        this.files = files;
        this.usage = usage;
        this.json = json;
    }

    public Optional<DatasetRef> find(String id) {
        return repository.findById(id).map(this::ref);
    }

    /** @param field the request field that named the dataset, for the 404 */
    public DatasetRef get(String id, String field) {
        return find(id).orElseThrow(() -> new NotFoundException("dataset", id, field));
    }

    /** The dataset parsed by the engine (cached). */
    public LoadedData load(DatasetRef ref) {
        return loader.load(ref.id(), ref.format(), ref.classes());
    }

    /**
     * What the dataset holds, from the catalog without reading its files; a dataset stored before
     * descriptions existed is read and described once.
     */
    public DatasetDescription description(DatasetRef ref) {
        StoredDataset s = stored(ref.id());
        if (s.descriptionJson() != null) return json.readValue(s.descriptionJson(), DatasetDescription.class);
        LoadedData data = load(ref);
        DatasetDescription d = data instanceof LoadedData.TableData t ? Descriptions.of(t.table())
                : Descriptions.of(((LoadedData.ImageData) data).images());
        String described = json.writeValueAsString(d);
        // in a transaction of its own: kept even when the request that needed it is refused (and rolled back)
        ownTransaction.executeWithoutResult(t -> repository.describe(ref.id(), described));
        return d;
    }

    StoredDataset stored(String id) {
        return repository.findById(id).orElseThrow(() -> new NotFoundException("dataset", id));
    }

    List<StoredDataset> all() {
        return repository.findAllByOrderByCreatedAtDesc();
    }

    @Transactional
    void delete(String id) {
        StoredDataset stored = stored(id);
        if (usage.inUse(id)) {
            throw new ConflictException("dataset-in-use", "dataset '" + id + "' is used by a queued or running job; "
                    + "cancel the job or wait for it to finish");
        }
        repository.delete(stored);
        loader.evict(id);
        files.delete(id);
    }

    DatasetRef ref(StoredDataset s) {
        List<DatasetView.ColumnView> columns = json.readValue(s.columnsJson(), new TypeReference<>() {});
        List<String> classes = s.classesJson() == null ? List.of() : json.readValue(s.classesJson(), new TypeReference<>() {});
        List<Integer> shape = json.readValue(s.shapeJson(), new TypeReference<>() {});
        return new DatasetRef(s.id(), s.name(), s.format(), s.rowCount(), columns.stream().map(DatasetView.ColumnView::name).toList(),
                classes, shape, s.sha256());
    }

    DatasetView view(StoredDataset s) {
        List<DatasetView.ColumnView> columns = json.readValue(s.columnsJson(), new TypeReference<>() {});
        List<String> classes = s.classesJson() == null ? null : json.readValue(s.classesJson(), new TypeReference<>() {});
        List<Integer> shape = json.readValue(s.shapeJson(), new TypeReference<>() {});
        Map<String, Long> classCounts = null;
        if (classes != null && s.classCountsJson() != null) {
            List<Long> counts = json.readValue(s.classCountsJson(), new TypeReference<>() {});
            classCounts = new LinkedHashMap<>();
            for (int k = 0; k < classes.size(); k++) classCounts.put(classes.get(k), counts.get(k));
        }
        return new DatasetView(s.id(), s.name(), s.format(), s.rowCount(), columns, shape, classes, classCounts, s.sizeBytes(),
                s.sha256(), s.createdAt());
    }
}
