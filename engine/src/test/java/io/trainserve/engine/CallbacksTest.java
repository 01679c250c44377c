package io.trainserve.engine;

import io.trainserve.engine.spec.CallbacksSpec;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelCheckpointSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.ReduceLrOnPlateauSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CallbacksTest {
    static final ModelSpec SOFTMAX = ModelSpec.of("sparse_categorical_crossentropy", LayerSpec.dense(3, "softmax"));

    @Test
    void reduceLrOnPlateauCutsTheRateAfterPatienceThenCoolsDown() {
        // lr 1e-10: the loss cannot move, so every epoch is a plateau
        CallbacksSpec cb = new CallbacksSpec(null, null, new ReduceLrOnPlateauSpec("loss", 0.5, 2, 1e-4, 1, 1e-12, null));
        TrainingResult r = new Trainer().train(TrainingRequest.of(Fixtures.softmax3Features(), SOFTMAX,
                TrainingSpec.of("sgd", 1e-10, 8, 8, 1).withCallbacks(cb)));

        List<Double> lrs = r.history().stream().map(EpochMetrics::learningRate).toList();
        // epoch 1 sets the best; epochs 2-3 wait -> cut after epoch 3 (applies from epoch 4); Keras re-checks the
        // cooldown after counting it down, so epoch 4 already waits again -> cut after 5, and after 7
        assertThat(lrs).containsExactly(1e-10, 1e-10, 1e-10, 5e-11, 5e-11, 2.5e-11, 2.5e-11, 1.25e-11);
    }

    @Test
    void modelCheckpointWithSaveBestOnlyKeepsTheBestEpochsWeights() {
        CallbacksSpec cb = new CallbacksSpec(null, new ModelCheckpointSpec("val_loss", true, null), null);
        TrainingResult r = new Trainer().train(TrainingRequest.of(OverfittingTest.noisy(40, 1), OverfittingTest.mlp(0),
                        TrainingSpec.of("adam", 0.01, 30, 40, 3).withCallbacks(cb))
                .withValidation(OverfittingTest.noisy(500, 2)));

        double best = r.history().stream().mapToDouble(h -> h.metrics().get("val_loss")).min().orElseThrow();
        assertThat(r.history()).hasSize(30);
        assertThat(r.bestEpoch()).isLessThan(30);
        assertThat(r.model().metrics().get("val_loss")).isEqualTo(best);
        // the kept weights really are that epoch's: re-evaluating gives its validation loss
        double reEvaluated = r.model().evaluate(OverfittingTest.noisy(500, 2)).metrics().get("loss");
        assertThat(reEvaluated).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void progressIsReportedEveryStepAndEveryEpoch() {
        List<TrainingListener.StepProgress> steps = new ArrayList<>();
        List<EpochMetrics> epochs = new ArrayList<>();
        List<TrainingListener.RunInfo> starts = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            public void onStart(RunInfo info) { starts.add(info); }
            public void onStep(StepProgress p) { steps.add(p); }
            public void onEpochEnd(EpochMetrics e) { epochs.add(e); }
        };
        new Trainer().train(TrainingRequest.of(Fixtures.softmax8(), SOFTMAX, TrainingSpec.of("sgd", 0.1, 3, 3, 1)),
                listener, CheckpointStore.NONE, () -> false);

        assertThat(starts).singleElement().satisfies(s -> {
            assertThat(s.stepsPerEpoch()).isEqualTo(3); // 8 rows in batches of 3
            assertThat(s.trainableParams()).isEqualTo(15);
        });
        assertThat(steps).hasSize(9);
        assertThat(steps.get(8).progress()).isEqualTo(1.0);
        assertThat(steps.get(4).progress()).isCloseTo(5 / 9.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(steps).allSatisfy(s -> assertThat(s.samplesPerSecond()).isPositive());
        assertThat(epochs).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
        assertThat(epochs.get(0).metrics()).containsKeys("loss", "accuracy");
    }

    @Test
    void cancellationStopsTheRunAndKeepsTheLastCheckpoint() {
        AtomicInteger stepsSeen = new AtomicInteger();
        List<Checkpoint> saved = new ArrayList<>();
        TrainingListener counter = new TrainingListener() {
            public void onStep(StepProgress p) { stepsSeen.incrementAndGet(); }
        };
        TrainingResult r = new Trainer().train(TrainingRequest.of(Fixtures.softmax8(), SOFTMAX, TrainingSpec.of("sgd", 0.1, 100, 4, 1)),
                counter, saved::add, () -> stepsSeen.get() >= 5);

        assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(r.model()).isNull();
        assertThat(stepsSeen.get()).isEqualTo(5);
        assertThat(saved).extracting(Checkpoint::epoch).containsExactly(1, 2);
    }
}
