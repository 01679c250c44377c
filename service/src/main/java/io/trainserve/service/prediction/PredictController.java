package io.trainserve.service.prediction;

import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.DataDir;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /models/{id}/predict}: JSON instances (decoded by {@link InstanceReader}), a CSV file
 * ({@link CsvPredictions}, answered as CSV or JSON lines) or image files ({@link ImageInstances}). The
 * latest version unless {@code ?version=N} or {@code ?alias=NAME}.
 */
@RestController
class PredictController {
    static final String NDJSON = "application/x-ndjson";
    private final Predictor predictor;
    private final PredictProperties properties;
    private final JsonMapper json;
    private final CsvPredictions csv;

    PredictController(Predictor predictor, PredictProperties properties, JsonMapper json, DataDir dataDir) {
        this.predictor = predictor;
        this.properties = properties;
        this.json = json;
        this.csv = new CsvPredictions(json, predictor, dataDir.tmp());
    }

    /** The answer goes straight to the response: no message-converter or content negotiation per request (the hot path). */
    @PostMapping(path = "/models/{id}/predict", consumes = MediaType.APPLICATION_JSON_VALUE)
    void predict(@PathVariable String id, @RequestParam(required = false) Integer version,
                 @RequestParam(required = false) String alias,
                 @RequestParam(defaultValue = "true") boolean probabilities,
                 @RequestParam(name = "top_k", required = false) Integer topK,
                 @RequestParam(required = false) Double threshold,
                 HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonPredictions.Options options = options(probabilities, topK, threshold);
        byte[] answer;
        try (InputStream body = request.getInputStream()) {
            answer = predictor.serve(id, version, alias, r -> {
                requireMultiLabel(r, threshold);
                Rows rows = new InstanceReader(json, r.model().inputSchema(), properties.maxInstances()).read(body);
                return answer(r, rows, options);
            });
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException(e.getOriginalMessage(), e, new ServletServerHttpRequest(request));
        }
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /** Image models: PNG or JPEG files as parts {@code file}, resized as in training. */
    @PostMapping(path = "/models/{id}/predict", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<byte[]> predictImages(@PathVariable String id, @RequestParam(required = false) Integer version,
                                         @RequestParam(required = false) String alias,
                                         @RequestParam(defaultValue = "true") boolean probabilities,
                                         @RequestParam(name = "top_k", required = false) Integer topK,
                                         @RequestPart("file") List<MultipartFile> files) {
        JsonPredictions.Options options = options(probabilities, topK);
        byte[] answer = predictor.serve(id, version, alias,
                r -> answer(r, ImageInstances.decode(r.model().inputSchema(), files, properties.maxInstances()), options));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
    }

    /** A CSV file with a header row, answered as CSV (or JSON lines with {@code Accept: application/x-ndjson}). */
    @PostMapping(path = "/models/{id}/predict", consumes = "text/csv")
    void predictCsv(@PathVariable String id, @RequestParam(required = false) Integer version,
                    @RequestParam(required = false) String alias, @RequestParam(required = false) List<String> echo,
                    @RequestHeader(name = "Accept", required = false) String accept,
                    HttpServletRequest request, HttpServletResponse response) throws IOException {
        CsvPredictions.Format format = accept != null && accept.contains(NDJSON) ? CsvPredictions.Format.NDJSON : CsvPredictions.Format.CSV;
        Path answer;
        try (InputStream body = request.getInputStream()) {
            answer = predictor.serve(id, version, alias, r -> csv.predict(r, body, format, echo == null ? List.of() : echo));
        }
        try {
            response.setStatus(200);
            response.setContentType(format == CsvPredictions.Format.CSV ? "text/csv;charset=UTF-8" : NDJSON);
            response.setContentLengthLong(Files.size(answer));
            Files.copy(answer, response.getOutputStream());
        } finally {
            CsvPredictions.delete(answer);
        }
    }

    private Predictor.Served<byte[]> answer(io.trainserve.service.registry.ServingCatalog.Resolved r, Rows rows, JsonPredictions.Options options) {
        float[] out = predictor.outputs(r, rows.exact(), rows.count());
        return new Predictor.Served<>(JsonPredictions.write(json, r.modelId(), r.version(), new Outputs(r.model(), rows.exact(), out, rows.count()),
                rows.count(), options), rows.count());
    }

    private static JsonPredictions.Options options(boolean probabilities, Integer topK) {
        return options(probabilities, topK, null);
    }

    private static JsonPredictions.Options options(boolean probabilities, Integer topK, Double threshold) {
        if (topK != null && topK < 1) throw new BadRequestException("top_k", topK.toString(), "a number of classes >= 1");
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            throw new BadRequestException("threshold", threshold.toString(), "a probability strictly between 0 and 1 (default 0.5)");
        }
        return new JsonPredictions.Options(probabilities, topK == null ? 0 : topK,
                threshold == null ? io.trainserve.engine.Prediction.DEFAULT_THRESHOLD : threshold);
    }

    /** A threshold picks the labels of a multi-label model; for any other model it would be ignored, so it is refused. */
    private static void requireMultiLabel(io.trainserve.service.registry.ServingCatalog.Resolved r, Double threshold) {
        if (threshold != null && !(r.model().target() instanceof io.trainserve.engine.Target.Labels)) {
            throw new BadRequestException("threshold", threshold.toString(), "nothing: model " + r.modelId() + " v" + r.version()
                    + " is not multi-label (a threshold picks the labels of a model trained on a list of 0/1 target columns)");
        }
    }
}
