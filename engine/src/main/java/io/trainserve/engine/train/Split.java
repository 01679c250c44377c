package io.trainserve.engine.train;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Train/validation split: stratified by class for classification (each class split in proportion), shuffled otherwise. */
final class Split {
    final Dataset train;
    final Dataset validation;

    private Split(Dataset train, Dataset validation) {
        this.train = train;
        this.validation = validation;
    }

    static Split of(Dataset all, double fraction, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Integer> trainRows = new ArrayList<>(), valRows = new ArrayList<>();
        if (all.target() instanceof Target.Classes c) {
            List<List<Integer>> byClass = new ArrayList<>();
            for (int k = 0; k < c.classCount(); k++) byClass.add(new ArrayList<>());
            for (int i = 0; i < all.size(); i++) byClass.get(c.indices()[i]).add(i);
            for (List<Integer> rows : byClass) take(rows, fraction, rng, trainRows, valRows);
        } else {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) rows.add(i);
            take(rows, fraction, rng, trainRows, valRows);
        }
        trainRows.sort(null);
        valRows.sort(null);
        return new Split(all.subset(toArray(trainRows)), all.subset(toArray(valRows)));
    }

    private static void take(List<Integer> rows, double fraction, SplittableRandom rng, List<Integer> train, List<Integer> val) {
        for (int i = rows.size() - 1; i > 0; i--) java.util.Collections.swap(rows, i, rng.nextInt(i + 1));
        int n = (int) Math.round(rows.size() * fraction);
        if (n == rows.size() && n > 0) n--; // keep every class in training
        val.addAll(rows.subList(0, n));
        train.addAll(rows.subList(n, rows.size()));
    }

    private static int[] toArray(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }
}
