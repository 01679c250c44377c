package io.trainserve.service.registry;

import io.trainserve.engine.KerasExport;
import io.trainserve.engine.Model;
import io.trainserve.engine.OnnxExport;
import io.trainserve.engine.UnsupportedModelException;
import io.trainserve.service.system.ConflictException;
import io.trainserve.service.system.NotFoundException;
import java.util.function.Function;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A version in other frameworks' formats: {@code GET /models/{id}/versions/{v}/onnx} (the inference path,
 * scaling included, as ONNX) and {@code .../keras} (a tf.keras 2.x .h5 file for {@code load_model}).
 * A model the format cannot express is a 409 naming the layer.
 */
@RestController
class ModelExportController {
    static final MediaType HDF5 = MediaType.parseMediaType("application/x-hdf5");
    private final ModelRegistry registry;

    ModelExportController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/models/{id}/versions/{version}/onnx")
    ResponseEntity<byte[]> onnx(@PathVariable String id, @PathVariable int version) {
        return export(id, version, "ONNX", ".onnx", MediaType.APPLICATION_OCTET_STREAM, OnnxExport::toOnnx);
    }

    @GetMapping("/models/{id}/versions/{version}/keras")
    ResponseEntity<byte[]> keras(@PathVariable String id, @PathVariable int version) {
        return export(id, version, "Keras .h5", ".h5", HDF5, KerasExport::toH5);
    }

    private ResponseEntity<byte[]> export(String id, int version, String format, String extension, MediaType type,
                                          Function<Model, byte[]> exporter) {
        if (!registry.hasVersion(id, version)) throw new NotFoundException("model version", id + " v" + version);
        Model model = registry.load(id, version);
        byte[] file;
        try {
            file = exporter.apply(model);
        } catch (UnsupportedModelException e) {
            throw new ConflictException("not-exportable", id + " v" + version + " cannot be exported to " + format + ": " + e.getMessage());
        }
        return ResponseEntity.ok()
                .contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(id + "-v" + version + extension).build().toString())
                .body(file);
    }
}
