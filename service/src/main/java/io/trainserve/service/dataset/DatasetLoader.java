package io.trainserve.service.dataset;

import io.trainserve.engine.DataFiles;
import io.trainserve.engine.ImageData;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Parses stored datasets with the engine's readers (from this instance's verified local copy of the blobs;
 * folder images were stored decoded, as an IDX pair), keeping the few most recently used in memory.
 */
@Component
class DatasetLoader {
    private final DatasetFiles files;
    private final Map<String, LoadedData> cache;

    DatasetLoader(DatasetFiles files, DatasetProperties properties) {
        this.files = files;
        int capacity = Math.max(0, properties.cacheSize());
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LoadedData> eldest) {
                return size() > capacity;
            }
        };
    }

    /** @param classes the class names stored at upload: folder images' labels index them */
    LoadedData load(String id, Format format, java.util.List<String> classes) {
        synchronized (cache) {
            LoadedData hit = cache.get(id);
            if (hit != null) return hit;
        }
        LoadedData loaded;
        if (format == Format.CSV) {
            loaded = new LoadedData.TableData(DataFiles.readCsv(files.local(id, DatasetFiles.CSV)));
        } else {
            ImageData images = DataFiles.readIdx(files.local(id, DatasetFiles.IMAGES), files.local(id, DatasetFiles.LABELS));
            loaded = new LoadedData.ImageData(format == Format.IMAGES ? images.withClassNames(classes) : images);
        }
        put(id, loaded);
        return loaded;
    }

    void put(String id, LoadedData data) {
        synchronized (cache) {
            cache.put(id, data);
        }
    }

    void evict(String id) {
        synchronized (cache) {
            cache.remove(id);
        }
    }
}
