package io.trainserve.service.sweep;

import io.trainserve.engine.spec.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The values a sweep's parameters may take: checks their definitions, enumerates a grid (Cartesian product, in
 * the order given) and draws seeded random points (H2O's RandomDiscrete, Ludwig's samplers).
 */
final class ParameterSpace {
    static final int MAX_GRID = 100_000;
    private static final int MAX_INT_VALUES = 1000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, SweepRequest.Parameter> parameters;

    ParameterSpace(Map<String, SweepRequest.Parameter> parameters) {
        this.parameters = parameters;
    }

    /** What is wrong with each parameter's definition (not whether the job accepts its values: the job check says that). */
    List<Violation> check(boolean grid) {
        List<Violation> v = new ArrayList<>();
        if (parameters == null || parameters.isEmpty()) {
            v.add(new Violation("parameters", "none", "at least one parameter, e.g. {\"training.learningRate\": {\"values\": [0.1, 0.01]}}"));
            return v;
        }
        parameters.forEach((path, p) -> check(path, p, grid, v));
        return v;
    }

    private static void check(String path, SweepRequest.Parameter p, boolean grid, List<Violation> v) {
        String field = "parameters." + path;
        if (!JsonPaths.wellFormed(path)) {
            v.add(new Violation(field, "\"" + path + "\"", "a JSON path of the job spec such as training.learningRate or model.layers[1].units"));
            return;
        }
        if (path.equals("modelId")) {
            v.add(new Violation(field, "modelId", "a field of the job: the sweep's modelId names the model of every trial"));
            return;
        }
        if (p == null) {
            v.add(new Violation(field, "null", "{\"values\": [...]} or {\"type\": \"uniform\"|\"loguniform\"|\"int\", \"min\": ..., \"max\": ...}"));
            return;
        }
        if (p.values() != null) {
            if (p.type() != null || p.min() != null || p.max() != null) {
                v.add(new Violation(field, "values with type/min/max", "either values or a type with min and max"));
            } else if (p.values().isEmpty()) {
                v.add(new Violation(field + ".values", "[]", "one value or more"));
            } else if (p.values().stream().anyMatch(n -> n == null || n.isNull() || n.isContainer())) {
                v.add(new Violation(field + ".values", String.valueOf(p.values()), "numbers or strings (enum values such as \"adam\")"));
            }
            return;
        }
        if (p.type() == null) {
            v.add(new Violation(field, "neither values nor type", "{\"values\": [...]} or a type (uniform, loguniform, int) with min and max"));
            return;
        }
        if (!List.of("uniform", "loguniform", "int").contains(p.type())) {
            v.add(new Violation(field + ".type", "\"" + p.type() + "\"", "uniform, loguniform, int"));
            return;
        }
        if (p.min() == null || p.max() == null || !Double.isFinite(p.min()) || !Double.isFinite(p.max())) {
            v.add(new Violation(field, "min " + p.min() + ", max " + p.max(), "finite numbers min and max"));
            return;
        }
        if (p.min() > p.max()) {
            v.add(new Violation(field + ".min", p.min() + " > max " + p.max(), "min <= max"));
        } else if (p.type().equals("loguniform") && p.min() <= 0) {
            v.add(new Violation(field + ".min", String.valueOf(p.min()), "a number > 0 (loguniform draws the logarithm)"));
        } else if (p.type().equals("int") && (p.min() != Math.rint(p.min()) || p.max() != Math.rint(p.max()))) {
            v.add(new Violation(field, "min " + p.min() + ", max " + p.max(), "whole numbers for type int"));
        } else if (grid && !p.type().equals("int")) {
            v.add(new Violation(field + ".type", "\"" + p.type() + "\"", "values (or type int) for a grid; uniform and loguniform need strategy random or asha"));
        } else if (grid && p.max() - p.min() + 1 > MAX_INT_VALUES) {
            v.add(new Violation(field, "min " + p.min() + ", max " + p.max(), "at most " + MAX_INT_VALUES + " whole numbers in a grid"));
        }
    }

    /** Points of the grid of a {@link #check checked} space (any number above {@link #MAX_GRID} just means "too many"). */
    long gridSize() {
        long size = 1;
        for (SweepRequest.Parameter p : parameters.values()) {
            if (size <= MAX_GRID) size *= choices(p).size(); // beyond that it is refused anyway: no overflow
        }
        return size;
    }

    /** The first {@code limit} points of the grid, the last parameter varying fastest. */
    List<Map<String, JsonNode>> grid(int limit) {
        List<String> paths = List.copyOf(parameters.keySet());
        List<List<JsonNode>> choices = paths.stream().map(k -> choices(parameters.get(k))).toList();
        List<Map<String, JsonNode>> points = new ArrayList<>();
        int[] index = new int[paths.size()];
        while (points.size() < limit) {
            Map<String, JsonNode> point = new LinkedHashMap<>();
            for (int i = 0; i < paths.size(); i++) point.put(paths.get(i), choices.get(i).get(index[i]));
            points.add(point);
            int i = paths.size() - 1;
            while (i >= 0 && ++index[i] == choices.get(i).size()) index[i--] = 0;
            if (i < 0) break;
        }
        return points;
    }

    /** {@code count} random points drawn with {@code seed}: the same seed gives the same trials. */
    List<Map<String, JsonNode>> random(int count, long seed) {
        Random random = new Random(seed);
        List<Map<String, JsonNode>> points = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            Map<String, JsonNode> point = new LinkedHashMap<>();
            parameters.forEach((path, p) -> point.put(path, draw(p, random)));
            points.add(point);
        }
        return points;
    }

    private static JsonNode draw(SweepRequest.Parameter p, Random random) {
        if (p.values() != null) return p.values().get(random.nextInt(p.values().size()));
        double min = p.min();
        double max = p.max();
        return switch (p.type()) {
            case "int" -> NODES.numberNode((long) min + (long) Math.floor(random.nextDouble() * (max - min + 1)));
            case "loguniform" -> NODES.numberNode(Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min))));
            default -> NODES.numberNode(min + random.nextDouble() * (max - min));
        };
    }

    private static List<JsonNode> choices(SweepRequest.Parameter p) {
        if (p.values() != null) return p.values();
        List<JsonNode> ints = new ArrayList<>();
        for (long i = p.min().longValue(); i <= p.max().longValue(); i++) ints.add(NODES.numberNode(i));
        return ints;
    }
}
