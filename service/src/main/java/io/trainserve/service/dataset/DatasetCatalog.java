package io.trainserve.service.dataset;

import io.trainserve.engine.DatasetDescription;
import io.trainserve.service.system.ConflictException;
import io.trainserve.service.system.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    private final JdbcClient jdbc;

    private final TransactionTemplate ownTransaction;
    /**
     * What never changes for a dataset id (its ref, its description once made), kept for the most recently
     * used datasets so that POST /jobs reads no large column and parses no JSON; whether the dataset still
     * exists is asked of the database every time (another instance may have deleted it).
     */
    private final Map<String, Known> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > KNOWN_MAX;
        }
    };
    private static final int KNOWN_MAX = 256;

    private record Known(DatasetRef ref, DatasetDescription description) {
    }

    DatasetCatalog(StoredDatasetRepository repository, DatasetLoader loader, DatasetFiles files, DatasetUsage usage,
                   JsonMapper json, PlatformTransactionManager transactions, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.repository = repository;
        this.loader = loader;
        this.files = files;
        this.usage = usage;
        this.json = json;
    }

    public Optional<DatasetRef> find(String id) {
        Known k = known(id);
        if (k != null) return exists(id) ? Optional.of(k.ref()) : Optional.empty();
        return repository.findById(id).map(s -> remember(ref(s), null).ref());
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
        Known k = known(ref.id());
        if (k != null && k.description() != null) return k.description();
        StoredDataset s = stored(ref.id());
        if (s.descriptionJson() != null) return remember(ref, json.readValue(s.descriptionJson(), DatasetDescription.class)).description();
        LoadedData data = load(ref);
        DatasetDescription d = data instanceof LoadedData.TableData t ? t.table().describe()
                : ((LoadedData.ImageData) data).images().describe();
        String described = json.writeValueAsString(d);
        // in a transaction of its own: kept even when the request that needed it is refused (and rolled back)
        ownTransaction.executeWithoutResult(t -> repository.describe(ref.id(), described));
        return remember(ref, d).description();
    }

    /** A plain query: the repository's existsById builds a JPA query each time, several times the cost of running it. */
    private boolean exists(String id) {
        return jdbc.sql("select count(*) from datasets where id = ?").param(id).query(Long.class).single() > 0;
    }

    private Known known(String id) {
        synchronized (known) {
            return known.get(id);
        }
    }

    private Known remember(DatasetRef ref, DatasetDescription description) {
        Known k = new Known(ref, description);
        synchronized (known) {
            known.put(ref.id(), k);
        }
        return k;
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
        synchronized (known) {
            known.remove(id);
        }
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
