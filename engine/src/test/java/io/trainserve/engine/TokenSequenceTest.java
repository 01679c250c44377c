package io.trainserve.engine;

import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Token sequences for an embedding: learnt as a bag and by a GRU, and every way a value can fail to be a token id. */
class TokenSequenceTest {
    private static final int LENGTH = 8, VOCABULARY = 12, MARKER = 5;

    /** Rows of random token ids; class 1 when the marker token occurs. */
    static Dataset marked(int n, long seed) {
        Random rng = new Random(seed);
        float[][] x = new float[n][LENGTH];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int t = 0; t < LENGTH; t++) {
                int id = rng.nextInt(VOCABULARY - 1);
                x[i][t] = id >= MARKER ? id + 1 : id;
            }
            if (y[i] == 1) x[i][rng.nextInt(LENGTH)] = MARKER;
        }
        return Fixtures.classes(x, y, 2);
    }

    private static ModelSpec spec(LayerSpec... hidden) {
        List<LayerSpec> layers = new java.util.ArrayList<>(List.of(LayerSpec.embedding(VOCABULARY, 6)));
        layers.addAll(List.of(hidden));
        layers.add(LayerSpec.dense(2, "softmax"));
        return new ModelSpec(layers, "sparse_categorical_crossentropy");
    }

    @Test
    void embeddingIntoGruFindsTheMarker() {
        TrainingResult r = new Trainer().train(TrainingRequest.of(marked(200, 1), spec(LayerSpec.gru(6, false)),
                TrainingSpec.of("adam", 0.02, 20, 16, 3)).withValidation(marked(80, 2)));
        assertThat(r.history().get(r.history().size() - 1).metrics().get("val_accuracy")).isGreaterThanOrEqualTo(0.9);
        // the bundle keeps the embedding's fields
        assertThat(r.model().spec().layers().get(0).inputDim()).isEqualTo(VOCABULARY);
    }

    @Test
    void tokenOutsideTheVocabularyNamesRowAndColumnBeforeTraining() {
        Dataset data = marked(10, 1);
        data.features()[2 * LENGTH + 4] = VOCABULARY; // row 3, column x5
        assertThatThrownBy(() -> new Trainer().train(TrainingRequest.of(data, spec(LayerSpec.globalAveragePooling1d()),
                TrainingSpec.of("adam", 0.01, 1, 4, 1))))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations()).containsExactly(
                        new Violation("train", "row 3, column 'x5': 12", new TokenIds(VOCABULARY).allowed())));
        Dataset fraction = marked(10, 1);
        fraction.features()[0] = 1.5f;
        assertThatThrownBy(() -> new Trainer().train(TrainingRequest.of(marked(10, 2), spec(LayerSpec.globalAveragePooling1d()),
                TrainingSpec.of("adam", 0.01, 1, 4, 1)).withTest(fraction)))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field, Violation::given).containsExactly(org.assertj.core.groups.Tuple.tuple("test", "row 1, column 'x1': 1.5")));
    }

    @Test
    void scalingAndTextColumnsAreRefusedForTokenIds() {
        Dataset data = marked(10, 1);
        List<Violation> v = Trainer.check(TrainingRequest.of(data, spec(LayerSpec.gru(4, false)), TrainingSpec.of("adam", 0.01, 1, 4, 1))
                .withPreprocessing(new PreprocessingSpec("standardize", null)).plan(), DataDescription.of(data));
        assertThat(v).extracting(Violation::field).containsExactly("preprocessing.scaling");
        InputSchema withText = new InputSchema(List.of(new InputSchema.Feature("word", InputSchema.Kind.CATEGORICAL, List.of("a", "b"))), null);
        v = Trainer.check(TrainingRequest.of(data, spec(LayerSpec.gru(4, false)), TrainingSpec.of("adam", 0.01, 1, 4, 1)).plan(),
                new DataDescription(10, withText, data.target()));
        assertThat(v).extracting(Violation::field, Violation::given)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("train", "column 'word' with text values [a, b]"));
    }

    @Test
    void predictChecksEveryInstance() {
        Model m = new Trainer().train(TrainingRequest.of(marked(20, 1), spec(LayerSpec.globalAveragePooling1d()),
                TrainingSpec.of("adam", 0.01, 1, 4, 1))).model();
        float[] rows = new float[2 * LENGTH];
        m.checkInstances(rows, 2); // all token 0: fine
        rows[LENGTH + 7] = -1;
        assertThatThrownBy(() -> m.checkInstances(rows, 2)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo("instances[1].x8");
            assertThat(e.given()).isEqualTo("-1");
            assertThat(e.expected()).contains("0 to 11");
        });
    }
}
