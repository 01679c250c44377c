package io.trainserve.service.registry;

import io.trainserve.engine.KerasImport;
import io.trainserve.engine.Model;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.UploadException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.trainserve.service.security.Audit;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The versioned models: list, inspect, delete, download a bundle, restore one (or import a Keras .h5 file) as a new version. */
@RestController
@RequestMapping("/models")
class ModelController {
    static final MediaType ZIP = MediaType.parseMediaType("application/zip");
    private final ModelRegistry registry;
    private final ModelViews views;
    private final Audit audit;
    private final KerasUpload keras;
    private final ModelAliases aliases;

    ModelController(ModelRegistry registry, ModelViews views, Audit audit, KerasUpload keras, ModelAliases aliases) {
        this.audit = audit;
        this.registry = registry;
        this.views = views;
        this.keras = keras;
        this.aliases = aliases;
    }

    record AliasRequest(Integer version) {
    }

    record AliasView(String modelId, String alias, int version) {
    }

    /** Creates (201) or atomically moves (200) an alias to an existing version. */
    @PutMapping("/{id}/aliases/{alias}")
    ResponseEntity<AliasView> putAlias(@PathVariable String id, @PathVariable String alias, @RequestBody AliasRequest request) {
        boolean created = aliases.put(id, alias, request.version());
        AliasView view = new AliasView(id, alias, request.version());
        audit.record("model.alias.put", id + "@" + alias + " -> v" + request.version());
        if (!created) return ResponseEntity.ok(view);
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/models/{id}/aliases/{alias}")
                .buildAndExpand(id, alias).toUri();
        return ResponseEntity.created(location).body(view);
    }

    @DeleteMapping("/{id}/aliases/{alias}")
    ResponseEntity<Void> deleteAlias(@PathVariable String id, @PathVariable String alias) {
        aliases.delete(id, alias);
        audit.record("model.alias.delete", id + "@" + alias);
        return ResponseEntity.noContent().build();
    }

    @GetMapping
    List<ModelViews.ListItem> list() {
        return views.list();
    }

    @GetMapping("/{id}")
    ModelViews.ModelView get(@PathVariable String id) {
        return views.model(id);
    }

    @GetMapping("/{id}/versions/{version}")
    ModelViews.VersionView version(@PathVariable String id, @PathVariable int version) {
        return views.version(id, version);
    }

    @DeleteMapping("/{id}/versions/{version}")
    ResponseEntity<Void> delete(@PathVariable String id, @PathVariable int version) {
        registry.delete(id, version);
        audit.record("model.version.delete", id + "/" + version);
        return ResponseEntity.noContent().build();
    }

    /** The bundle as saved: a zip that {@code POST /models/{id}/versions} (here or on another instance) restores. */
    @GetMapping("/{id}/versions/{version}/bundle")
    ResponseEntity<Resource> bundle(@PathVariable String id, @PathVariable int version) {
        ModelRegistry.VersionInfo info = registry.version(id, version)
                .orElseThrow(() -> new io.trainserve.service.system.NotFoundException("model version", id + " v" + version));
        return ResponseEntity.ok()
                .contentType(ZIP)
                .contentLength(info.bundleSizeBytes())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(id + "-v" + version + ".zip").build().toString())
                .header(HttpHeaders.ETAG, "\"" + info.bundleSha256() + "\"")
                .body(new FileSystemResource(registry.bundleFile(id, version)));
    }

    /**
     * Restores a downloaded bundle (part {@code file}) as the next version of {@code id}, or imports a Keras
     * {@code .h5} file (recognized by its HDF5 signature) with optional {@code preprocessing} and {@code classNames}.
     */
    @PostMapping(path = "/{id}/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ModelViews.VersionView> restore(@PathVariable String id, @RequestPart("file") MultipartFile file,
                                                   @RequestParam(name = "preprocessing", required = false) String preprocessing,
                                                   @RequestParam(name = "classNames", required = false) String classNames) {
        if (!ModelIds.PATTERN.matcher(id).matches()) throw new BadRequestException("id", "\"" + id + "\"", ModelIds.ALLOWED);
        if (file.isEmpty()) throw new UploadException("file", "part 'file' is empty; expected a model bundle (.zip) downloaded from "
                + "GET /models/{id}/versions/{v}/bundle, or a Keras .h5 file");
        byte[] bytes = bytes(file);
        Model model;
        if (KerasImport.recognizes(bytes)) {
            model = keras.read(bytes, file.getOriginalFilename(), preprocessing, classNames);
        } else {
            if (preprocessing != null) throw new BadRequestException("preprocessing", preprocessing, "nothing: only a Keras .h5 import takes it");
            if (classNames != null) throw new BadRequestException("classNames", classNames, "nothing: only a Keras .h5 import takes it");
            model = read(bytes);
        }
        int version = registry.register(id, model, null);
        audit.record("model.version.restore", id + "/" + version);
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/models/{id}/versions/{version}")
                .buildAndExpand(id, version).toUri();
        return ResponseEntity.created(location).body(views.version(id, version));
    }

    private static byte[] bytes(MultipartFile file) {
        try {
            return file.getBytes();
        } catch (IOException e) {
            throw new UploadException("file", "part 'file' could not be read");
        }
    }

    private static Model read(byte[] file) {
        try (InputStream in = new ByteArrayInputStream(file)) {
            return Model.load(in);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int nl = why.indexOf('\n');
            if (nl > 0) why = why.substring(0, nl);
            throw new UploadException("file", "part 'file' is not a usable trainserve model bundle (" + why
                    + "); expected a zip downloaded from GET /models/{id}/versions/{v}/bundle, or a Keras .h5 file");
        }
    }
}
