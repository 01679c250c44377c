package io.trainserve.service.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code tools/make_keras_h5.py} (Debian's python3-h5py and python3-numpy) at test time, so the Keras
 * files and the numpy forward pass's probabilities are never stale; see the script for what it writes.
 */
public final class KerasFiles {
    private KerasFiles() {
    }

    public static void write(Path dir) throws IOException, InterruptedException {
        Path script = Path.of("").toAbsolutePath();
        while (script != null && !Files.exists(script.resolve("tools/make_keras_h5.py"))) script = script.getParent();
        if (script == null) throw new IllegalStateException("tools/make_keras_h5.py not found above the working directory");
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(python, script.resolve("tools/make_keras_h5.py").toString(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("make_keras_h5.py failed (apt-get install python3-h5py python3-numpy): " + output);
        }
    }

    /** {@code name.json}: inputs, (for the CNN) inputsChannelsFirst, and the expected probabilities. */
    public static JsonNode expected(Path dir, String name) throws IOException {
        return JsonMapper.builder().build().readTree(dir.resolve(name + ".json").toFile());
    }
}
