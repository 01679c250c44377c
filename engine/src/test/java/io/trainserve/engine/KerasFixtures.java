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
        Path script = locate(Path.of("").toAbsolutePath());
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(python, script.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("tools/make_keras_h5.py failed (needs python3-h5py and python3-numpy): " + out);
        }
        return dir;
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
