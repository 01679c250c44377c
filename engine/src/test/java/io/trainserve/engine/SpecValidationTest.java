package io.trainserve.engine;

import io.trainserve.engine.spec.CallbacksSpec;
import io.trainserve.engine.spec.EarlyStoppingSpec;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every invalid spec is refused before training, naming the field, the value given and what is allowed. */
class SpecValidationTest {

    private static List<Violation> violations(TrainingRequest r) {
        InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, () -> new Trainer().train(r));
        assertThat(e).as("expected the spec to be refused").isNotNull();
        return e.violations();
    }

    private static TrainingRequest softmax(ModelSpec spec, TrainingSpec training) {
        return TrainingRequest.of(Fixtures.softmax8(), spec, training);
    }

    @Test
    void outputUnitsMustMatchTheClassCountTheOneHotShapeErrorOfTheNotes() {
        List<Violation> v = violations(softmax(ModelSpec.of("categorical_crossentropy", LayerSpec.dense(4, "softmax")),
                TrainingSpec.of("sgd", 0.1, 1, 8, 1)));
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.field()).isEqualTo("model.layers[0].units");
            assertThat(x.given()).isEqualTo("4");
            assertThat(x.allowed()).contains("3").contains("[0, 1, 2]");
        });
    }

    @Test
    void unknownNamesListWhatIsAllowed() {
        ModelSpec spec = new ModelSpec(List.of(new LayerSpec("dense", 8, "swish", "glorot", null, null, null, null, null, null, null, null, null, null, null, null),
                new LayerSpec("conv1d", 3, null, null, null, null, null, null, null, null, null, null, null, null, null, null)), "hinge");
        List<Violation> v = violations(softmax(spec, TrainingSpec.of("adamw", -0.1, 0, 0, 1)));
        assertThat(v).extracting(Violation::field).contains("model.layers[0].activation", "model.layers[0].init", "model.layers[1].type",
                "model.loss", "training.optimizer", "training.learningRate", "training.epochs", "training.batchSize");
        assertThat(v).filteredOn(x -> x.field().equals("model.layers[1].type")).singleElement()
                .satisfies(x -> assertThat(x.allowed()).contains("dense", "conv2d", "max_pool2d", "lstm"));
        assertThat(v).filteredOn(x -> x.field().equals("training.learningRate")).singleElement()
                .satisfies(x -> assertThat(x.given()).isEqualTo("-0.1"));
    }

    @Test
    void lossMustFitTheOutputActivationAndTheTarget() {
        List<Violation> bce = violations(softmax(ModelSpec.of("binary_crossentropy", LayerSpec.dense(3, "softmax")), TrainingSpec.of("sgd", 0.1, 1, 8, 1)));
        assertThat(bce).extracting(Violation::field).contains("target", "model.layers[0].activation", "model.layers[0].units");

        List<Violation> regressionOnClasses = violations(TrainingRequest.of(Fixtures.quizScores(),
                ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(1, "softmax")), TrainingSpec.of("sgd", 0.1, 1, 8, 1)));
        assertThat(regressionOnClasses).extracting(Violation::field).contains("model.loss");
    }

    @Test
    void convolutionNeedsAnImageAndTheOutputMustBeDense() {
        List<Violation> v = violations(softmax(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.conv2d(8, 3, "relu"), LayerSpec.dense(3, "softmax")),
                TrainingSpec.of("adam", 0.1, 1, 8, 1)));
        assertThat(v).singleElement().satisfies(x -> assertThat(x.field()).isEqualTo("model.layers[0].type"));

        List<Violation> notDense = violations(softmax(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(3, "softmax"), LayerSpec.dropout(0.5)),
                TrainingSpec.of("adam", 0.1, 1, 8, 1)));
        assertThat(notDense).extracting(Violation::field).contains("model.layers[1].type");
    }

    @Test
    void validationMonitorsNeedValidationDataAndScalingMustBeKnown() {
        CallbacksSpec cb = new CallbacksSpec(new EarlyStoppingSpec("val_loss", null, 2, null, null, null), null, null);
        List<Violation> v = violations(softmax(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(3, "softmax")),
                TrainingSpec.of("adam", 0.1, 1, 8, 1).withCallbacks(cb)).withPreprocessing(PreprocessingSpec.scaling("robust")));
        assertThat(v).extracting(Violation::field).containsExactlyInAnyOrder("training.callbacks.earlyStopping.monitor", "preprocessing.scaling");
        assertThat(v).filteredOn(x -> x.field().endsWith("monitor")).singleElement()
                .satisfies(x -> assertThat(x.allowed()).contains("loss", "accuracy").contains("validation split"));
    }

    @Test
    void aDroppedRateOfOneOrMoreIsRefused() {
        List<Violation> v = violations(softmax(ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dropout(1.0), LayerSpec.dense(3, "softmax")),
                TrainingSpec.of("adam", 0.1, 1, 8, 1)));
        assertThat(v).singleElement().satisfies(x -> assertThat(x.field()).isEqualTo("model.layers[0].rate"));
    }
}
