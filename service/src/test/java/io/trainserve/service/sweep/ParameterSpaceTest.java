package io.trainserve.service.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.trainserve.engine.spec.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ParameterSpaceTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    static SweepRequest.Parameter values(Object... v) {
        return new SweepRequest.Parameter(List.of(v).stream().map(x -> (JsonNode) JSON.valueToTree(x)).toList(), null, null, null);
    }

    static SweepRequest.Parameter range(String type, double min, double max) {
        return new SweepRequest.Parameter(null, type, min, max);
    }

    @Test
    void gridIsTheCartesianProductWithTheLastParameterFastest() {
        Map<String, SweepRequest.Parameter> p = new LinkedHashMap<>();
        p.put("training.learningRate", values(0.1, 0.01));
        p.put("training.batchSize", range("int", 2, 4));
        ParameterSpace space = new ParameterSpace(p);
        assertThat(space.check(true)).isEmpty();
        assertThat(space.gridSize()).isEqualTo(6);
        List<Map<String, JsonNode>> grid = space.grid(100);
        assertThat(grid).hasSize(6);
        assertThat(grid.stream().map(m -> m.get("training.learningRate").asDouble() + "/" + m.get("training.batchSize").asInt()).toList())
                .containsExactly("0.1/2", "0.1/3", "0.1/4", "0.01/2", "0.01/3", "0.01/4");
        assertThat(space.grid(4)).hasSize(4);
    }

    @Test
    void randomDrawsStayInRangeAndRepeatWithTheSeed() {
        Map<String, SweepRequest.Parameter> p = new LinkedHashMap<>();
        p.put("training.learningRate", range("loguniform", 1e-4, 1));
        p.put("model.layers[0].units", range("int", 4, 6));
        p.put("model.layers[1].rate", range("uniform", 0.1, 0.5));
        p.put("training.optimizer", values("adam", "sgd"));
        ParameterSpace space = new ParameterSpace(p);
        assertThat(space.check(false)).isEmpty();
        List<Map<String, JsonNode>> draws = space.random(200, 7);
        assertThat(draws).allSatisfy(d -> {
            assertThat(d.get("training.learningRate").asDouble()).isBetween(1e-4, 1.0);
            assertThat(d.get("model.layers[0].units").isIntegralNumber()).isTrue();
            assertThat(d.get("model.layers[0].units").asInt()).isBetween(4, 6);
            assertThat(d.get("model.layers[1].rate").asDouble()).isBetween(0.1, 0.5);
        });
        assertThat(draws.stream().map(d -> d.get("model.layers[0].units").asInt()).distinct()).containsExactlyInAnyOrder(4, 5, 6);
        assertThat(draws.stream().filter(d -> d.get("training.learningRate").asDouble() < 1e-2).count())
                .as("loguniform: half the draws below the geometric middle").isBetween(70L, 130L);
        assertThat(space.random(5, 7)).isEqualTo(draws.subList(0, 5));
        assertThat(space.random(5, 8)).isNotEqualTo(draws.subList(0, 5));
    }

    @Test
    void badDefinitionsNameTheirPath() {
        Map<String, SweepRequest.Parameter> p = new LinkedHashMap<>();
        p.put("training.learningRate", range("loguniform", 0, 1));
        p.put("training.batchSize", range("int", 1, 2.5));
        p.put("training.epochs", range("uniform", 5, 1));
        p.put("training.momentum", values());
        p.put("layers[x]", values(1));
        p.put("modelId", values("a"));
        assertThat(new ParameterSpace(p).check(false).stream().map(Violation::field)).containsExactly(
                "parameters.training.learningRate.min", "parameters.training.batchSize", "parameters.training.epochs.min",
                "parameters.training.momentum.values", "parameters.layers[x]", "parameters.modelId");
        assertThat(new ParameterSpace(Map.of("training.learningRate", range("uniform", 0.1, 1))).check(true).get(0).field())
                .isEqualTo("parameters.training.learningRate.type");
    }

    @Test
    void pathsSetFieldsCreateMissingObjectsAndNeverInventLayers() {
        ObjectNode spec = (ObjectNode) JSON.readTree("{\"model\": {\"layers\": [{\"units\": 3}, {\"rate\": 0.2}]}}");
        assertThat(JsonPaths.set(spec, "model.layers[1].rate", JSON.valueToTree(0.5))).isNull();
        assertThat(JsonPaths.set(spec, "training.learningRate", JSON.valueToTree(0.1))).isNull();
        assertThat(spec.toString()).isEqualTo("{\"model\":{\"layers\":[{\"units\":3},{\"rate\":0.5}]},\"training\":{\"learningRate\":0.1}}");
        assertThat(JsonPaths.set(spec, "model.layers[2].units", JSON.valueToTree(4))).contains("model.layers has no element [2]");
        assertThat(JsonPaths.set(spec, "model.stack[0].units", JSON.valueToTree(4))).contains("model.stack is not in the job spec");
        assertThat(JsonPaths.set(spec, "training.learningRate.x", JSON.valueToTree(4))).contains("training.learningRate is not an object");
    }
}
