package io.trainserve.service.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sets a value in a job spec by the path a sweep parameter names, e.g. {@code training.learningRate} or
 * {@code model.layers[1].units}. Missing objects are created (a spec may leave {@code training.batchSize} to its
 * default); array elements must exist (a sweep cannot invent a layer).
 */
final class JsonPaths {
    static final Pattern PATH = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\[\\d{1,4}])*(\\.[A-Za-z][A-Za-z0-9]*(\\[\\d{1,4}])*)*");
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z][A-Za-z0-9]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private JsonPaths() {
    }

    static boolean wellFormed(String path) {
        return path != null && PATH.matcher(path).matches();
    }

    /**
     * @param path a {@link #wellFormed} path
     * @return null when set, else what is wrong (e.g. "model.layers has no element [3]")
     */
    static String set(ObjectNode root, String path, JsonNode value) {
        String[] segments = path.split("\\.");
        JsonNode node = root;
        StringBuilder at = new StringBuilder();
        for (int s = 0; s < segments.length; s++) {
            Matcher m = SEGMENT.matcher(segments[s]);
            if (!m.matches()) return "'" + segments[s] + "' is not a field name";
            String name = m.group(1);
            List<Integer> indexes = indexes(m.group(2));
            boolean lastSegment = s == segments.length - 1;
            if (!(node instanceof ObjectNode object)) return (at.isEmpty() ? "the spec" : at) + " is not an object";
            if (!at.isEmpty()) at.append('.');
            at.append(name);
            if (lastSegment && indexes.isEmpty()) {
                object.set(name, value);
                return null;
            }
            JsonNode child = object.get(name);
            if (child == null || child.isNull()) {
                if (!indexes.isEmpty()) return at + " is not in the job spec";
                child = object.putObject(name);
            }
            for (int i = 0; i < indexes.size(); i++) {
                int index = indexes.get(i);
                if (!(child instanceof ArrayNode array)) return at + " is not a list";
                if (index >= array.size()) return at + " has no element [" + index + "] (it has " + array.size() + ")";
                at.append('[').append(index).append(']');
                if (lastSegment && i == indexes.size() - 1) {
                    array.set(index, value);
                    return null;
                }
                child = array.get(index);
            }
            node = child;
        }
        return null;
    }

    private static List<Integer> indexes(String group) {
        List<Integer> found = new ArrayList<>();
        Matcher m = INDEX.matcher(group);
        while (m.find()) found.add(Integer.parseInt(m.group(1)));
        return found;
    }
}
