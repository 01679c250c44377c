package io.trainserve.service.dataset;

import io.trainserve.engine.DataFiles;
import io.trainserve.engine.DataTable;
import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.ImageData;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.dataset.DatasetFiles.Received;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes an upload: streams the parts to disk, parses them with the engine's readers (which check
 * everything and say where the problem is), then stores the files and the metadata.
 */
@Component
class DatasetUploader {
    static final int MAX_NAME = 200;

    private final UploadMetrics metrics;
    private final DatasetFiles files;
    private final DatasetLoader loader;
    private final StoredDatasetRepository repository;
    private final JsonMapper json;
    private final Clock clock;

    DatasetUploader(DatasetFiles files, DatasetLoader loader, StoredDatasetRepository repository, JsonMapper json,
                    java.util.Optional<Clock> clock, UploadMetrics metrics) {
        this.metrics = metrics;
        this.files = files;
        this.loader = loader;
        this.repository = repository;
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    StoredDataset csv(MultipartFile file, String name) {
        return counted(Format.CSV, () -> parseCsv(file, name));
    }

    StoredDataset idx(MultipartFile images, MultipartFile labels, String name) {
        return counted(Format.IDX, () -> parseIdx(images, labels, name));
    }

    private StoredDataset counted(Format format, java.util.function.Supplier<StoredDataset> upload) {
        try {
            StoredDataset stored = upload.get();
            metrics.accepted(format, stored.sizeBytes());
            return stored;
        } catch (RuntimeException e) {
            metrics.rejected(format);
            throw e;
        }
    }

    private StoredDataset parseCsv(MultipartFile file, String name) {
        Received received = files.receive(file, "file");
        try {
            DataTable table = DataFiles.readCsv(received.file());
            String id = UUID.randomUUID().toString();
            List<Integer> shape = List.of(table.rowCount(), table.columnNames().size());
            StoredDataset stored = new StoredDataset(id, nameOr(name, file), Format.CSV, table.rowCount(),
                    json.writeValueAsString(DatasetStats.of(table)), json.writeValueAsString(shape), null,
                    received.size(), table.sha256(), now(), json.writeValueAsString(table.describe()));
            files.keep(id, received, DatasetFiles.CSV);
            return save(stored, new LoadedData.TableData(table));
        } finally {
            files.discard(received);
        }
    }

    private StoredDataset parseIdx(MultipartFile images, MultipartFile labels, String name) {
        Received imageFile = files.receive(images, "images");
        Received labelFile = null;
        try {
            labelFile = files.receive(labels, "labels");
            ImageData set = DataFiles.readIdx(imageFile.file(), labelFile.file());
            DatasetDescription described = set.describe();
            String id = UUID.randomUUID().toString();
            List<Integer> shape = List.of(set.count(), set.rows(), set.cols());
            StoredDataset stored = new StoredDataset(id, nameOr(name, images), Format.IDX, set.count(),
                    json.writeValueAsString(DatasetStats.of(set, described.labels())), json.writeValueAsString(shape),
                    json.writeValueAsString(described.labels()),
                    imageFile.size() + labelFile.size(), set.sha256(), now(), json.writeValueAsString(described));
            files.keep(id, imageFile, DatasetFiles.IMAGES);
            files.keep(id, labelFile, DatasetFiles.LABELS);
            return save(stored, new LoadedData.ImageData(set));
        } finally {
            files.discard(imageFile);
            files.discard(labelFile);
        }
    }

    private StoredDataset save(StoredDataset stored, LoadedData parsed) {
        try {
            StoredDataset saved = repository.save(stored);
            loader.put(saved.id(), parsed);
            return saved;
        } catch (RuntimeException e) {
            files.delete(stored.id());
            throw e;
        }
    }

    private static String nameOr(String name, MultipartFile part) {
        String chosen = name != null && !name.isBlank() ? name.trim()
                : part.getOriginalFilename() != null && !part.getOriginalFilename().isBlank() ? part.getOriginalFilename()
                : "dataset";
        if (chosen.chars().anyMatch(Character::isISOControl)) {
            String field = name != null && !name.isBlank() ? "name" : "filename";
            throw new BadRequestException(field, chosen.replaceAll("\\p{Cntrl}", "?"), "text without control characters (such as NUL)");
        }
        if (chosen.length() > MAX_NAME) {
            throw new BadRequestException("name", chosen.length() + " characters", "at most " + MAX_NAME + " characters");
        }
        return chosen;
    }

    private Instant now() {
        return clock.instant();
    }
}
