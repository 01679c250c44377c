package io.trainserve.engine;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Keras .h5 files of {@code tools/make_keras_h5.py}, written fresh at test time by Debian's
 * python3-h5py (tf.keras 2.x's layout, known weights) with the numpy forward pass's probabilities.
 */
public final class KerasFixtures {
    private KerasFixtures() {
    }

    /** Runs the script into {@code dir}; fails with the script's output when it fails. */
    public static Path write(Path dir) throws IOException, InterruptedException {
        run(dir.toString());
        return dir;
    }

    /** numpy's outputs for {@code count} rows (in Keras' layout) of the .h5 file {@code h5}, computed by the script's predict mode. */
    public static float[] predict(Path dir, byte[] h5, float[] rows, int count) throws IOException, InterruptedException {
        Path model = Files.write(dir.resolve("model.h5"), h5);
        int width = rows.length / count;
        StringBuilder json = new StringBuilder("{\"inputs\": [");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < width; j++) json.append(j == 0 ? "" : ",").append(rows[i * width + j]);
            json.append(']');
        }
        Path in = Files.writeString(dir.resolve("inputs.json"), json.append("]}"));
        Path out = dir.resolve("outputs.json");
        run("predict", model.toString(), in.toString(), out.toString());
        return rows(JsonMapper.builder().build().readTree(out.toFile()).get("outputs"));
    }

    private static void run(String... args) throws IOException, InterruptedException {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(python, locate(Path.of("").toAbsolutePath()).toString()));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("tools/make_keras_h5.py failed (needs python3-h5py and python3-numpy): " + out);
        }
    }

    public static JsonNode expected(Path dir, String name) throws IOException {
        return JsonMapper.builder().build().readTree(dir.resolve(name + ".json").toFile());
    }

    /** Row-major floats of a JSON array of arrays. */
    public static float[] rows(JsonNode rows) {
        int width = rows.get(0).size();
        float[] out = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < width; j++) out[i * width + j] = (float) rows.get(i).get(j).asDouble();
        }
        return out;
    }

    private static Path locate(Path from) {
        for (Path d = from; d != null; d = d.getParent()) {
            Path s = d.resolve("tools/make_keras_h5.py");
            if (Files.exists(s)) return s;
        }
        throw new IllegalStateException("tools/make_keras_h5.py not found above " + from);
    }
}
