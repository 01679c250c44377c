package io.trainserve.service.dataset;

import io.trainserve.engine.ImageData;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.Idempotency;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import io.trainserve.service.security.Audit;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/datasets")
class DatasetController {
    private final DatasetUploader uploader;
    private final DatasetCatalog catalog;
    private final DatasetProperties properties;
    private final Audit audit;
    private final Idempotency idempotency;

    DatasetController(DatasetUploader uploader, DatasetCatalog catalog, DatasetProperties properties, Audit audit,
                      Idempotency idempotency) {
        this.audit = audit;
        this.idempotency = idempotency;
        this.uploader = uploader;
        this.catalog = catalog;
        this.properties = properties;
    }

    /**
     * A CSV or a zip of image class folders as part {@code file} (a zip is told by its content), or an IDX
     * pair as parts {@code images} and {@code labels}; optional {@code name}, and {@code imageSize} for a zip.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DatasetView> upload(@RequestPart(name = "file", required = false) MultipartFile file,
                                       @RequestPart(name = "images", required = false) MultipartFile images,
                                       @RequestPart(name = "labels", required = false) MultipartFile labels,
                                       @RequestParam(name = "name", required = false) String name,
                                       @RequestParam(name = "imageSize", required = false) String imageSize,
                                       @RequestHeader(name = Idempotency.HEADER, required = false) String idempotencyKey) {
        Idempotency.Outcome<StoredDataset> outcome = idempotency.once("datasets", idempotencyKey,
                () -> store(file, images, labels, name, imageSize), StoredDataset::id, catalog::stored, s -> catalog.delete(s.id()));
        StoredDataset stored = outcome.resource();
        if (outcome.created()) audit.record("dataset.upload", stored.id());
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(stored.id()).toUri();
        return ResponseEntity.created(location).body(catalog.view(stored));
    }

    private StoredDataset store(MultipartFile file, MultipartFile images, MultipartFile labels, String name, String imageSize) {
        StoredDataset stored;
        if (file != null) {
            if (images != null || labels != null) {
                throw new BadRequestException(images != null ? "images" : "labels", "both 'file' and an IDX part",
                        "either part 'file' (CSV or zip of image folders) or parts 'images' and 'labels' (IDX)");
            }
            if (ZipParts.isZip(file)) {
                ImageSize size = ImageSize.parse(imageSize);
                stored = uploader.imageFolders(file, size.height(), size.width(), properties.imageLimits(), name);
            } else if (imageSize != null) {
                throw new BadRequestException("imageSize", "an imageSize with a part 'file' that is not a zip",
                        "imageSize only with a zip of image class folders");
            } else {
                stored = uploader.csv(file, name);
            }
        } else if (images != null && labels != null) {
            stored = uploader.idx(images, labels, name);
        } else {
            String missing = images != null ? "labels" : labels != null ? "images" : "file";
            throw new BadRequestException(missing, "no part '" + missing + "'",
                    "part 'file' (CSV) or parts 'images' and 'labels' (IDX, gzipped or not)");
        }
        return stored;
    }

    @GetMapping
    List<DatasetView> list() {
        return catalog.all().stream().map(catalog::view).toList();
    }

    @GetMapping("/{id}")
    DatasetView get(@PathVariable String id) {
        return catalog.view(catalog.stored(id));
    }

    /**
     * The first rows: cells as text for a table; for images the class name, the pixel values (height x width
     * for one channel, channels x height x width for more) and a PNG data URL thumbnail.
     */
    @GetMapping("/{id}/preview")
    PreviewView preview(@PathVariable String id, @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > properties.maxPreviewRows()) {
            throw new BadRequestException("limit", String.valueOf(limit), "1.." + properties.maxPreviewRows());
        }
        DatasetRef ref = catalog.ref(catalog.stored(id));
        LoadedData data = catalog.load(ref);
        if (data instanceof LoadedData.TableData t) {
            return new PreviewView(t.table().columnNames(), new ArrayList<>(t.table().preview(limit)));
        }
        return imagePreview(((LoadedData.ImageData) data).images(), limit);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        catalog.delete(id);
        audit.record("dataset.delete", id);
        return ResponseEntity.noContent().build();
    }

    record PreviewView(List<String> columns, List<List<?>> rows) {
    }

    private static PreviewView imagePreview(ImageData images, int limit) {
        int n = Math.min(limit, images.count());
        List<List<?>> rows = new ArrayList<>(n);
        int plane = images.rows() * images.cols();
        for (int i = 0; i < n; i++) {
            List<List<List<Integer>>> channels = new ArrayList<>(images.channels());
            for (int ch = 0; ch < images.channels(); ch++) {
                int base = i * images.size() + ch * plane;
                List<List<Integer>> image = new ArrayList<>(images.rows());
                for (int r = 0; r < images.rows(); r++) {
                    List<Integer> line = new ArrayList<>(images.cols());
                    for (int c = 0; c < images.cols(); c++) line.add(images.pixels()[base + r * images.cols() + c] & 0xFF);
                    image.add(line);
                }
                channels.add(image);
            }
            Object pixels = images.channels() == 1 ? channels.get(0) : channels;
            Object label = images.classNames() == null ? (Object) images.label(i) : images.className(i);
            rows.add(List.of(label, pixels, Thumbnails.dataUrl(images, i)));
        }
        return new PreviewView(List.of("label", "image", "thumbnail"), rows);
    }
}
