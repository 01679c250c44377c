package io.trainserve.service.registry;

import io.trainserve.engine.Model;
import io.trainserve.engine.OnnxExport;
import io.trainserve.engine.UnsupportedModelException;
import io.trainserve.service.system.ConflictException;
import io.trainserve.service.system.NotFoundException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /models/{id}/versions/{v}/onnx}: the version's inference path (scaling included) as an ONNX model. */
@RestController
class OnnxController {
    private final ModelRegistry registry;

    OnnxController(ModelRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/models/{id}/versions/{version}/onnx")
    ResponseEntity<byte[]> onnx(@PathVariable String id, @PathVariable int version) {
        if (!registry.hasVersion(id, version)) throw new NotFoundException("model version", id + " v" + version);
        Model model = registry.load(id, version);
        byte[] onnx;
        try {
            onnx = OnnxExport.toOnnx(model);
        } catch (UnsupportedModelException e) {
            throw new ConflictException("not-exportable", id + " v" + version + " cannot be exported to ONNX: " + e.getMessage());
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(id + "-v" + version + ".onnx").build().toString())
                .body(onnx);
    }
}
