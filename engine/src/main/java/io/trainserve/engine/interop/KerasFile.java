package io.trainserve.engine.interop;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.trainserve.engine.UnsupportedModelException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of a tf.keras 2.x {@code .h5} file (legacy HDF5 saving) read with jHDF, a pure-Java HDF5
 * reader: the root attributes {@code model_config} and {@code training_config} (JSON), {@code keras_version}
 * and {@code backend}, and each layer's arrays, found through the {@code weight_names} attribute of
 * {@code model_weights/<layer>} (the arrays themselves sit at {@code model_weights/<layer>/<layer>/<w>:0}).
 *
 * @param weights layer name → short weight name (kernel, bias, gamma, ...) → array
 */
public record KerasFile(JsonNode modelConfig, JsonNode trainingConfig, String kerasVersion, String backend,
                        Map<String, Map<String, Array>> weights) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /** A float array as stored, with its dimensions (row-major). */
    public record Array(float[] data, int[] dims) {
    }

    /** True when the bytes start with the HDF5 signature (files with a user block are not Keras files). */
    public static boolean isHdf5(byte[] head) {
        return head.length >= HDF5_SIGNATURE.length && Arrays.equals(Arrays.copyOf(head, HDF5_SIGNATURE.length), HDF5_SIGNATURE);
    }

    public static KerasFile read(byte[] bytes) {
        try (HdfFile file = HdfFile.fromBytes(bytes)) {
            String config = text(file, "model_config");
            if (config == null) {
                throw new UnsupportedModelException("the HDF5 file has no model_config attribute: it holds weights only "
                        + "(model.save_weights) or is not a Keras model; expected a whole model saved with model.save('model.h5')");
            }
            String training = text(file, "training_config");
            Map<String, Map<String, Array>> weights = new HashMap<>();
            Node root = file.getChild("model_weights");
            if (root instanceof Group g) {
                for (Node layer : g) {
                    if (layer instanceof Group lg) weights.put(layer.getName(), layerWeights(lg));
                }
            }
            return new KerasFile(JSON.readTree(config), training == null ? null : JSON.readTree(training),
                    text(file, "keras_version"), text(file, "backend"), weights);
        } catch (UnsupportedModelException e) {
            throw e;
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UnsupportedModelException("the file starts like HDF5 but cannot be read as a Keras model (" + firstLine(why) + ")", e);
        }
    }

    private static Map<String, Array> layerWeights(Group layer) {
        Map<String, Array> out = new HashMap<>();
        for (String path : strings(layer.getAttribute("weight_names"))) {
            Node n = layer.getByPath(path);
            if (!(n instanceof Dataset d)) continue;
            out.put(shortName(path), new Array(floats(d.getDataFlat()), d.getDimensions()));
        }
        return out;
    }

    /** {@code dense/kernel:0} → {@code kernel}. */
    static String shortName(String path) {
        String s = path.substring(path.lastIndexOf('/') + 1);
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    private static float[] floats(Object flat) {
        if (flat instanceof float[] f) return f;
        if (flat instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
            return f;
        }
        throw new UnsupportedModelException("weights of type " + flat.getClass().getSimpleName() + "; expected float32 or float64 arrays");
    }

    private static String text(Node node, String name) {
        Attribute a = node.getAttribute(name);
        if (a == null) return null;
        Object v = a.getData();
        if (v instanceof String s) return s;
        if (v instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (v instanceof String[] arr && arr.length == 1) return arr[0];
        return String.valueOf(v);
    }

    private static String[] strings(Attribute a) {
        if (a == null) return new String[0];
        Object v = a.getData();
        if (v instanceof String[] arr) return arr;
        if (v instanceof String s) return new String[]{s};
        return new String[0];
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
