package io.trainserve.engine;

import java.util.ArrayList;
import java.util.List;

/** Small datasets from the lecture notes, built directly as engine Datasets. */
final class Fixtures {
    private Fixtures() {
    }

    /** 002: 8 rows, 4 features, classes 0..2. */
    static Dataset softmax8() {
        return classes(new float[][]{{1, 2, 1, 1}, {2, 1, 3, 2}, {3, 1, 3, 4}, {4, 1, 5, 5}, {1, 7, 5, 5}, {1, 2, 5, 6}, {1, 6, 6, 6}, {1, 7, 7, 7}},
                new int[]{2, 2, 2, 1, 1, 1, 0, 0}, 3);
    }

    /** 003: the PyTorch learning-rate examples, 8 rows, 3 features, classes 0..2. */
    static Dataset softmax3Features() {
        return classes(new float[][]{{1, 2, 1}, {1, 3, 2}, {1, 3, 4}, {1, 5, 5}, {1, 7, 5}, {1, 2, 5}, {1, 6, 6}, {1, 7, 7}},
                new int[]{2, 2, 2, 1, 1, 1, 0, 0}, 3);
    }

    static Dataset xor() {
        return classes(new float[][]{{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new int[]{0, 1, 1, 0}, 2);
    }

    /** 003: quiz scores -> final score. */
    static Dataset quizScores() {
        return values(new float[][]{{73, 80, 75}, {93, 88, 93}, {89, 91, 90}, {96, 98, 100}, {73, 66, 70}},
                new float[]{152, 185, 180, 196, 142});
    }

    static Dataset classes(float[][] x, int[] y, int k) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) names.add(String.valueOf(i));
        return new Dataset(flatten(x), x.length, InputSchema.numeric(featureNames(x[0].length)), new Target.Classes("y", y, names), "fixture");
    }

    static Dataset values(float[][] x, float[] y) {
        return new Dataset(flatten(x), x.length, InputSchema.numeric(featureNames(x[0].length)), new Target.Values("y", y), "fixture");
    }

    static List<String> featureNames(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add("x" + (i + 1));
        return names;
    }

    static float[] flatten(float[][] x) {
        float[] out = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, out, i * x[0].length, x[0].length);
        return out;
    }
}
