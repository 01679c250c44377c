package io.trainserve.bench.jmh;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.Model;
import io.trainserve.engine.Outcome;
import io.trainserve.engine.Target;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.TrainingRequest;
import io.trainserve.engine.TrainingResult;
import io.trainserve.engine.nn.Shape;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;

import java.util.List;
import java.util.SplittableRandom;

/** Synthetic 28×28 images (no dataset needed: the kernels' speed does not depend on the pixel values). */
final class Fixtures {
    static final Shape IMAGE = Shape.image(1, 28, 28);
    static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    static final Target TARGET = Target.classes("label", CLASSES);
    static final String LOSS = "sparse_categorical_crossentropy";

    private Fixtures() {
    }

    /** The benchmark MLP 784-256-256-10 (269,322 parameters). */
    static ModelSpec mlp() {
        return ModelSpec.of(LOSS, LayerSpec.flatten(), LayerSpec.dense(256, "relu"), LayerSpec.dense(256, "relu"),
                LayerSpec.dense(10, "softmax"));
    }

    /** The benchmark CNN: conv 32 3×3 relu, max-pool 2, conv 64 3×3 relu, max-pool 2, flatten, dense 10 (the bench's "cnn" workload). */
    static ModelSpec cnn() {
        return ModelSpec.of(LOSS, LayerSpec.conv2d(32, 3, "relu"), LayerSpec.maxPool2d(2),
                LayerSpec.conv2d(64, 3, "relu"), LayerSpec.maxPool2d(2), LayerSpec.flatten(), LayerSpec.dense(10, "softmax"));
    }

    /** Raw pixels 0..255, {@code rows × 784}. */
    static float[] pixels(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[rows * 784];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(256);
        return x;
    }

    static int[] labels(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) y[i] = r.nextInt(10);
        return y;
    }

    static Dataset images(int rows, long seed) {
        return new Dataset(pixels(rows, seed), rows, InputSchema.image(1, 28, 28),
                new Target.Classes("label", labels(rows, seed + 1), CLASSES), null);
    }

    /** A Model of the benchmark MLP trained one epoch on 1,000 synthetic images, through the public API. */
    static Model trainedMlp() {
        TrainingResult r = new Trainer().train(TrainingRequest.of(images(1000, 7), mlp(), TrainingSpec.of("adam", 0.001, 1, 100, 1))
                .withPreprocessing(PreprocessingSpec.scaling("pixel")));
        if (r.outcome() != Outcome.SUCCEEDED) throw new IllegalStateException("training failed: " + r.message());
        return r.model();
    }
}
