package io.trainserve.service.dataset;

import io.trainserve.engine.DataFiles;
import io.trainserve.engine.DataTable;
import io.trainserve.engine.ImageData;
import io.trainserve.engine.ImageFolderLimits;
import io.trainserve.engine.InvalidArchiveException;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.TooLargeException;
import java.nio.file.Path;
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

    /**
     * A zip of image class folders, decoded and resized to {@code height x width} (0 x 0: the most common
     * size, capped), stored decoded as an IDX pair beside the zip.
     */
    StoredDataset imageFolders(MultipartFile file, int height, int width, ImageFolderLimits limits, String name) {
        return counted(Format.IMAGES, () -> parseImageFolders(file, height, width, limits, name));
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
            String id = UUID.randomUUID().toString();
            List<Integer> shape = List.of(set.count(), set.rows(), set.cols());
            StoredDataset stored = imageRow(id, nameOr(name, images), Format.IDX, set, shape, imageFile.size() + labelFile.size());
            files.keep(id, imageFile, DatasetFiles.IMAGES);
            files.keep(id, labelFile, DatasetFiles.LABELS);
            return save(stored, new LoadedData.ImageData(set));
        } finally {
            files.discard(imageFile);
            files.discard(labelFile);
        }
    }

    private StoredDataset parseImageFolders(MultipartFile file, int height, int width, ImageFolderLimits limits, String name) {
        Received zip = files.receive(file, "file");
        Path images = files.temporary("images.idx");
        Path labels = files.temporary("labels.idx");
        try {
            ImageData decoded = readFolders(zip.file(), height, width, limits);
            decoded.writeIdx(images, labels);
            // read back as every later load will, so the checksum and pixels are those of the stored files
            ImageData set = DataFiles.readIdx(images, labels).withClassNames(decoded.classes());
            String id = UUID.randomUUID().toString();
            List<Integer> shape = List.of(set.count(), set.channels(), set.rows(), set.cols());
            StoredDataset stored = imageRow(id, nameOr(name, file), Format.IMAGES, set, shape, zip.size());
            files.keep(id, zip, DatasetFiles.ZIP);
            files.keep(id, images, DatasetFiles.IMAGES);
            files.keep(id, labels, DatasetFiles.LABELS);
            return save(stored, new LoadedData.ImageData(set));
        } finally {
            files.discard(zip);
            files.discard(images);
            files.discard(labels);
        }
    }

    /** The engine's refusal as a problem naming part {@code file} and the entry: 413 for a limit, else 400. */
    private static ImageData readFolders(Path zip, int height, int width, ImageFolderLimits limits) {
        try {
            return DataFiles.readImageFolders(zip, height, width, limits);
        } catch (InvalidArchiveException e) {
            if (e.tooLarge()) throw new TooLargeException("file", e.given(), e.allowed());
            throw new BadRequestException("file", e.given(), e.allowed());
        }
    }

    /** The description is kept at upload (a plan is checked without reading the files again). */
    private StoredDataset imageRow(String id, String name, Format format, ImageData set, List<Integer> shape, long size) {
        return new StoredDataset(id, name, format, set.count(), json.writeValueAsString(DatasetStats.of(set)),
                json.writeValueAsString(shape), json.writeValueAsString(set.classes()),
                json.writeValueAsString(set.classCounts()), size, set.sha256(), now(), json.writeValueAsString(set.describe()));
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
