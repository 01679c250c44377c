package io.trainserve.engine;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Keras .h5 files (tf.keras 2.x layout, known weights) give the probabilities of a numpy forward pass. */
class KerasImportTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void fixtures() throws Exception {
        KerasFixtures.write(dir);
    }

    @Test
    void mlpWithBatchNormDropoutAndActivationLayerMatchesNumpy() throws Exception {
        Model m = KerasImport.read(Files.readAllBytes(dir.resolve("mlp.h5")), KerasImport.Options.named("mlp.h5"));
        assertThat(m.spec().layers()).extracting(l -> l.type()).containsExactly("dense", "batch_norm", "dropout", "dense");
        assertThat(m.spec().layers().get(3).activation()).isEqualTo("softmax");
        assertThat(m.spec().loss()).isEqualTo("sparse_categorical_crossentropy");
        assertThat(m.parts().training().optimizer()).isEqualTo("adam");
        assertThat(m.parts().training().learningRate()).isEqualTo(0.0005);
        assertThat(m.provenance().imported().kerasVersion()).isEqualTo("2.11.0");
        assertMatches(m, KerasFixtures.expected(dir, "mlp"), "inputs");
    }

    @Test
    void channelsLastCnnMatchesNumpyOnChannelsFirstImages() throws Exception {
        Model m = KerasImport.read(Files.readAllBytes(dir.resolve("cnn.h5")), KerasImport.Options.named("cnn.h5"));
        assertThat(m.inputSchema().imageShape()).containsExactly(2, 6, 5);
        assertThat(m.parts().training().optimizer()).isEqualTo("momentum");
        assertMatches(m, KerasFixtures.expected(dir, "cnn"), "inputsChannelsFirst");
    }

    @Test
    void survivesTheBundleRoundTrip() throws Exception {
        Model m = KerasImport.read(Files.readAllBytes(dir.resolve("cnn.h5")), KerasImport.Options.named("cnn.h5"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.save(out);
        Model back = Model.load(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back.provenance().imported().fileName()).isEqualTo("cnn.h5");
        assertMatches(back, KerasFixtures.expected(dir, "cnn"), "inputsChannelsFirst");
    }

    @Test
    void refusesUnsupportedFilesNamingWhatWasFound() throws Exception {
        assertThatThrownBy(() -> read("rnn.h5")).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("'rnn' of class SimpleRNN").hasMessageContaining("Dense");
        assertThatThrownBy(() -> read("functional.h5")).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("'Functional'").hasMessageContaining("Sequential");
        assertThatThrownBy(() -> read("corrupt.h5")).isInstanceOf(UnsupportedModelException.class).hasMessageContaining("HDF5");
        assertThatThrownBy(() -> read("keras3.keras")).isInstanceOf(UnsupportedModelException.class).hasMessageContaining("Keras 3");
    }

    private static Model read(String name) throws Exception {
        return KerasImport.read(Files.readAllBytes(dir.resolve(name)), KerasImport.Options.named(name));
    }

    static void assertMatches(Model m, JsonNode expected, String inputs) {
        JsonNode x = expected.get(inputs), p = expected.get("probabilities");
        int k = p.get(0).size();
        float[] rows = KerasFixtures.rows(x);
        // one row at a time (the plain-Java fast path) and all at once (the ND4J path)
        float[] batch = m.outputs(rows, x.size());
        for (int i = 0; i < x.size(); i++) {
            float[] one = m.outputs(java.util.Arrays.copyOfRange(rows, i * x.get(0).size(), (i + 1) * x.get(0).size()), 1);
            for (int j = 0; j < k; j++) {
                assertThat((double) batch[i * k + j]).as("row %d class %d (batch)", i, j).isCloseTo(p.get(i).get(j).asDouble(), within(1e-5));
                assertThat((double) one[j]).as("row %d class %d (single)", i, j).isCloseTo(p.get(i).get(j).asDouble(), within(1e-5));
            }
        }
    }
}
