package io.trainserve.service.prediction;

import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InvalidInputException;
import io.trainserve.engine.Model;
import io.trainserve.service.registry.ServingCatalog;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol (KServe v2 REST) over the same models, so KServe and Triton clients can call
 * them: health, model metadata and {@code infer} with one FP32 tensor input {@code [batch, ...features]}
 * (a tabular model's encoded width, or an image's [channels, height, width] or its flat pixel count).
 * Classifiers answer {@code probabilities} [batch, classes] FP32, {@code class_index} [batch] INT64 and
 * {@code label} [batch] BYTES; regressors {@code value} [batch] FP32. Errors are that protocol's
 * {@code {"error": "..."}} bodies.
 */
@RestController
class InferenceProtocolController {
    private static final String INPUT = "input";
    private final Predictor predictor;
    private final ServingCatalog catalog;
    private final JsonMapper json;
    private final PredictProperties properties;

    InferenceProtocolController(Predictor predictor, ServingCatalog catalog, JsonMapper json, PredictProperties properties) {
        this.predictor = predictor;
        this.catalog = catalog;
        this.json = json;
        this.properties = properties;
    }

    record Tensor(String name, String datatype, List<Integer> shape, Object data) {
    }

    record Metadata(String name, List<String> versions, String platform, List<Tensor> inputs, List<Tensor> outputs) {
    }

    record InferResponse(String model_name, String model_version, String id, List<Tensor> outputs) {
    }

    @GetMapping("/v2/health/ready")
    Map<String, Boolean> ready() {
        return Map.of("ready", true);
    }

    @GetMapping("/v2/health/live")
    Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    @GetMapping("/v2/models/{id}")
    Metadata metadata(@PathVariable String id) {
        return metadata(catalog.resolve(id, null, null));
    }

    @GetMapping("/v2/models/{id}/versions/{version}")
    Metadata metadata(@PathVariable String id, @PathVariable int version) {
        return metadata(catalog.resolve(id, version, null));
    }

    @GetMapping({"/v2/models/{id}/ready", "/v2/models/{id}/versions/{version}/ready"})
    Map<String, Object> modelReady(@PathVariable String id, @PathVariable(required = false) Integer version) {
        ServingCatalog.Resolved r = catalog.resolve(id, version, null);
        return Map.of("name", r.modelId(), "ready", true);
    }

    @PostMapping(path = "/v2/models/{id}/infer", consumes = MediaType.APPLICATION_JSON_VALUE)
    InferResponse infer(@PathVariable String id, @RequestBody byte[] body) {
        return infer(id, null, body);
    }

    @PostMapping(path = "/v2/models/{id}/versions/{version}/infer", consumes = MediaType.APPLICATION_JSON_VALUE)
    InferResponse infer(@PathVariable String id, @PathVariable Integer version, @RequestBody byte[] body) {
        JsonNode request = json.readTree(body);
        return predictor.serve(id, version, null, r -> {
            Rows rows = rows(request, r.model().inputSchema());
            float[] out = predictor.outputs(r, rows.data(), rows.count());
            List<Tensor> outputs = outputs(new Outputs(r.model(), rows.data(), out, rows.count()), rows.count(), requested(request));
            String requestId = request.path("id").isString() ? request.get("id").asString() : null;
            return new Predictor.Served<>(new InferResponse(r.modelId(), Integer.toString(r.version()), requestId, outputs), rows.count());
        });
    }

    private Metadata metadata(ServingCatalog.Resolved r) {
        Model m = r.model();
        List<Integer> inputShape = new ArrayList<>(List.of(-1));
        if (m.inputSchema().isImage()) inputShape.addAll(m.inputSchema().imageShape());
        else inputShape.add(m.inputSchema().width());
        List<Tensor> outputs = m.anomalyDetector() != null
                ? List.of(new Tensor("anomaly_score", "FP32", List.of(-1), null), new Tensor("anomaly", "BOOL", List.of(-1), null))
                : m.target() instanceof io.trainserve.engine.Target.Labels
                ? List.of(new Tensor("probabilities", "FP32", List.of(-1, m.classNames().size()), null),
                          new Tensor("labels", "BOOL", List.of(-1, m.classNames().size()), null))
                : m.target().classification()
                ? List.of(new Tensor("probabilities", "FP32", List.of(-1, m.classNames().size()), null),
                          new Tensor("class_index", "INT64", List.of(-1), null), new Tensor("label", "BYTES", List.of(-1), null))
                : List.of(new Tensor("value", "FP32", List.of(-1), null));
        return new Metadata(r.modelId(), catalog.versions(r.modelId()).stream().sorted().map(String::valueOf).toList(), "trainserve",
                List.of(new Tensor(INPUT, "FP32", inputShape, null)), outputs);
    }

    private Rows rows(JsonNode request, InputSchema schema) {
        JsonNode inputs = request.path("inputs");
        if (!inputs.isArray() || inputs.size() != 1) {
            throw new BadRequestException("inputs", inputs.isArray() ? inputs.size() + " tensors" : "nothing", "exactly one input tensor named '" + INPUT + "'");
        }
        JsonNode in = inputs.get(0);
        String datatype = in.path("datatype").asString("");
        if (!datatype.equals("FP32")) throw new BadRequestException("inputs[0].datatype", "'" + datatype + "'", "FP32");
        JsonNode shapeNode = in.path("shape");
        if (!shapeNode.isArray() || shapeNode.isEmpty()) throw new BadRequestException("inputs[0].shape", shapeNode.toString(), "[batch, ...features]");
        long[] shape = new long[shapeNode.size()];
        long total = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToExactIntegral() || shapeNode.get(i).asLong() < 1) {
                throw new BadRequestException("inputs[0].shape", shapeNode.toString(), "positive integers [batch, ...features]");
            }
            shape[i] = shapeNode.get(i).asLong();
            total *= shape[i];
        }
        int width = schema.width();
        long batch = shape[0];
        if (total != batch * width) {
            String expected = schema.isImage() ? "[batch, " + width + "] or [batch, " + String.join(", ", schema.imageShape().stream().map(String::valueOf).toList()) + "]"
                    : "[batch, " + width + "]";
            throw new BadRequestException("inputs[0].shape", shapeNode.toString(), expected);
        }
        if (batch > properties.maxInstances()) {
            throw new io.trainserve.service.system.TooLargeException("inputs[0].shape", "a batch of " + batch, "at most " + properties.maxInstances() + " rows per request");
        }
        float[] data = new float[(int) total];
        int[] next = {0};
        flatten(in.path("data"), data, next);
        if (next[0] != total) throw new BadRequestException("inputs[0].data", next[0] + " numbers", total + " numbers (the product of shape " + shapeNode + ")");
        return new Rows(data, (int) batch, width);
    }

    private static void flatten(JsonNode node, float[] out, int[] next) {
        if (node.isArray()) {
            for (JsonNode child : node) flatten(child, out, next);
            return;
        }
        if (!node.isNumber() || !Float.isFinite(node.floatValue())) {
            throw new BadRequestException("inputs[0].data", node.isMissingNode() ? "nothing" : node.toString(), "finite FP32 numbers, flat or nested row-major");
        }
        if (next[0] >= out.length) {
            next[0]++;
            return;
        }
        out[next[0]++] = node.floatValue();
    }

    private static Set<String> requested(JsonNode request) {
        JsonNode outs = request.path("outputs");
        if (!outs.isArray() || outs.isEmpty()) return null;
        java.util.HashSet<String> names = new java.util.HashSet<>();
        outs.forEach(o -> names.add(o.path("name").asString("")));
        return names;
    }

    private static List<Tensor> outputs(Outputs o, int n, Set<String> wanted) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        if (o.anomalyDetector()) {
            float[] scores = new float[n];
            boolean[] anomaly = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = (float) o.anomalyScore(i);
                anomaly[i] = o.anomaly(i);
            }
            all.put("anomaly_score", new Tensor("anomaly_score", "FP32", List.of(n), scores));
            all.put("anomaly", new Tensor("anomaly", "BOOL", List.of(n), anomaly));
        } else if (o.multiLabel()) { // independent labels: each one's probability, and whether it is on (at or above 0.5)
            int k = o.classes();
            float[] p = new float[n * k];
            boolean[] on = new boolean[n * k];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    p[i * k + j] = (float) o.labelProbability(i, j);
                    on[i * k + j] = p[i * k + j] >= JsonPredictions.Options.ALL.threshold();
                }
            }
            all.put("probabilities", new Tensor("probabilities", "FP32", List.of(n, k), p));
            all.put("labels", new Tensor("labels", "BOOL", List.of(n, k), on));
        } else if (!o.classification()) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) o.value(i);
            all.put("value", new Tensor("value", "FP32", List.of(n), v));
        } else {
            int k = o.classes();
            float[] p = new float[n * k];
            long[] index = new long[n];
            String[] labels = new String[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) p[i * k + j] = (float) o.probability(i, j);
                index[i] = o.classIndex(i);
                labels[i] = o.classNames().get((int) index[i]);
            }
            all.put("probabilities", new Tensor("probabilities", "FP32", List.of(n, k), p));
            all.put("class_index", new Tensor("class_index", "INT64", List.of(n), index));
            all.put("label", new Tensor("label", "BYTES", List.of(n), labels));
        }
        if (wanted == null) return List.copyOf(all.values());
        for (String name : wanted) {
            if (!all.containsKey(name)) throw new BadRequestException("outputs", "'" + name + "'", "one of " + all.keySet());
        }
        return all.values().stream().filter(t -> wanted.contains(t.name())).toList();
    }

    // ---- errors as the protocol's {"error": "..."} ----

    record Error(String error) {
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Error> notFound(NotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON).body(new Error(e.getMessage()));
    }

    @ExceptionHandler({BadRequestException.class, InvalidInputException.class, JacksonException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<Error> badRequest(RuntimeException e) {
        String message = e instanceof JacksonException j ? "the request body is not valid JSON: " + j.getOriginalMessage() : e.getMessage();
        HttpStatus status = e instanceof io.trainserve.service.system.TooLargeException ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new Error(message));
    }
}
