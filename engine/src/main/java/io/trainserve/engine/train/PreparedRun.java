package io.trainserve.engine.train;

import io.trainserve.engine.DataDescription;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.data.Imputation;
import io.trainserve.engine.data.MissingPolicy;
import io.trainserve.engine.Dataset;
import io.trainserve.engine.Model;
import io.trainserve.engine.Target;
import io.trainserve.engine.Plan;
import io.trainserve.engine.TokenIds;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.TrainingRequest;
import io.trainserve.engine.nn.BatchBuffers;
import io.trainserve.engine.nn.Layer;
import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.nn.Network;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.nn.Shape;
import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.json.JsonMapper;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything checked and computed before the first step: the validated spec and settings, the
 * train/validation split, the scaling fitted on the training split and applied to every set, the
 * batch buffers, and the run's fingerprint. Any problem is reported at once as an
 * {@link InvalidSpecException} listing every violation.
 */
final class PreparedRun {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    ModelSpec spec;
    ResolvedTraining training;
    /** The training settings as the job gave them, with the base model's optimizer filled in when the job names none. */
    TrainingSpec trainingSpec;
    PreprocessingSpec preprocessing;
    Dataset train, validation, test;
    int trainRows;
    Shape inputShape;
    Target target;
    Scaling scaling;
    /** The training rows, scaled batch by batch (no scaled copy of the dataset). */
    ScaledRows trainInput;
    boolean sigmoidOutput;
    String fingerprint;
    private final BatchBuffers<INDArray> inputs = new BatchBuffers<>(b -> NdArrays.zeros('c', inputShape.batchShape(b)));
    private BatchBuffers<INDArray> outputGrads;

    static PreparedRun of(TrainingRequest r) {
        PreparedRun p = new PreparedRun();
        if (r.train() == null || r.train().size() == 0) throw new InvalidSpecException("train", "a dataset with no rows", "a dataset with at least one row");
        Plan plan = r.plan();
        DataDescription described = DataDescription.of(r.train());
        List<Violation> v = new ArrayList<>(Trainer.check(plan, described));
        Dataset train = r.train();
        checkCompatible("validation", r.validation(), train, v);
        checkCompatible("test", r.test(), train, v);
        if (!v.isEmpty()) throw new InvalidSpecException(v);
        TokenIds tokens = TokenIds.of(plan.effectiveModel());
        if (tokens != null) checkTokens(tokens, r, v);

        p.spec = plan.effectiveModel();
        TrainingSpec ts = r.training() != null ? r.training() : new TrainingSpec(null, null, null, null, null, null, null, null, null);
        p.trainingSpec = r.training();
        Model base = r.baseModel();
        TrainingSpec baseTraining = base == null ? null : base.parts().training();
        if (ts.optimizer() == null && baseTraining != null && baseTraining.optimizer() != null) {
            // as Keras' load_model restores the compiled optimizer: a job that names none continues with the base model's
            ts = new TrainingSpec(baseTraining.optimizer(), ts.learningRate() != null ? ts.learningRate() : baseTraining.learningRate(),
                    ts.epochs(), ts.batchSize(), ts.shuffle(), ts.seed(), ts.momentum() != null ? ts.momentum() : baseTraining.momentum(),
                    ts.regularization(), ts.callbacks(), ts.classWeight());
            p.trainingSpec = ts;
        }
        p.training = ResolvedTraining.of(ts);
        p.preprocessing = r.preprocessing() == null ? new PreprocessingSpec(null, null) : r.preprocessing();
        p.validation = r.validation();
        if (r.validationSplit() != null) {
            double split = r.validationSplit();
            Split s = Split.of(train, split, p.training.seed());
            if (s.validation.size() == 0) {
                throw new InvalidSpecException("validationSplit", split, "a fraction leaving at least one validation row (the dataset has "
                        + train.size() + " rows)");
            }
            train = s.train;
            p.validation = s.validation;
        }
        MissingPolicy missing = MissingPolicy.parse(p.preprocessing.missing());
        if (missing.imputes() && !train.inputSchema().isImage()) {
            InputSchema filled = base != null && base.inputSchema().features().stream().allMatch(f -> f.fill() != null)
                    ? base.inputSchema() : Imputation.fit(train, missing);
            if (tokens != null) tokens.checkFills(filled);
            train = Imputation.apply(train, filled);
            if (p.validation != null) p.validation = Imputation.apply(p.validation, filled);
            if (r.test() != null) p.test = Imputation.apply(r.test(), filled);
            else p.test = null;
        } else {
            p.test = r.test();
        }
        p.train = train;
        p.trainRows = train.size();
        p.inputShape = Shape.of(train.inputSchema(), p.spec);
        p.target = described.target();
        p.sigmoidOutput = PlanCheck.sigmoidOutput(p.spec);
        if (p.sigmoidOutput && train.target() instanceof io.trainserve.engine.Target.Values values) requireUnitInterval(values);
        p.scaling = base != null ? base.parts().scaling()
                : Scaling.fit(PlanCheck.scalingKind(p.preprocessing, described), train.features(), train.size(), train.width());
        p.trainInput = new ScaledRows(train.features(), train.width(), p.scaling);
        p.fingerprint = fingerprint(p, r);
        return p;
    }

    /** 0-1 regression: a sigmoid output cannot reach targets outside [0, 1] (the same check as Trainer.check on a description). */
    private static void requireUnitInterval(io.trainserve.engine.Target.Values target) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (float v : target.values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min < 0 || max > 1) {
            throw new InvalidSpecException("target", "column '" + target.column() + "' ranging from " + min + " to " + max,
                    io.trainserve.engine.DatasetDescription.UNIT_INTERVAL);
        }
    }

    /** Every row of every set holds token ids (missing values aside when they are imputed: their fill is checked then). */
    private static void checkTokens(TokenIds tokens, TrainingRequest r, List<Violation> v) {
        boolean imputes = r.preprocessing() != null && MissingPolicy.parse(r.preprocessing().missing()).imputes();
        for (Object[] set : new Object[][]{{"train", r.train()}, {"validation", r.validation()}, {"test", r.test()}}) {
            Violation bad = set[1] == null ? null : tokens.rowViolation((String) set[0], (Dataset) set[1], imputes);
            if (bad != null) v.add(bad);
        }
        if (!v.isEmpty()) throw new InvalidSpecException(v);
    }

    private static void checkCompatible(String field, Dataset other, Dataset train, List<Violation> v) {
        if (other == null) return;
        if (other.width() != train.width()) {
            v.add(new Violation(field, other.width() + " features per row", train.width() + " features, like the training set"));
        }
        if (other.target() instanceof Target.Classes oc && train.target() instanceof Target.Classes tc && !oc.classNames().equals(tc.classNames())) {
            v.add(new Violation(field, "classes " + oc.classNames(), "the training classes " + tc.classNames()));
        }
        if (other.target() instanceof Target.Labels ol && train.target() instanceof Target.Labels tl && !ol.columns().equals(tl.columns())) {
            v.add(new Violation(field, "labels " + ol.columns(), "the training labels " + tl.columns()));
        }
    }

    /**
     * Copies the base model's weights into each leading layer of the same type and shape, so a new
     * head can be put on a trained body. The output layer is only copied when its classes are the same.
     */
    void copyBaseWeights(Network net, Model base, int freeze) {
        Network source = NetworkBuilder.restore(base.parts());
        List<Layer> to = net.layers(), from = source.layers();
        int copied = 0, po = 0, so = 0;
        for (int i = 0; i < Math.min(to.size(), from.size()); i++) {
            Layer a = from.get(i), b = to.get(i);
            boolean last = i == to.size() - 1;
            if (!a.type().equals(b.type()) || a.paramCount() != b.paramCount() || a.stateCount() != b.stateCount()
                    || !a.inputShape().equals(b.inputShape()) || last && !base.classNames().equals(target.classNames())) {
                break;
            }
            slice(net.params(), po, b.paramCount()).assign(slice(source.params(), po, a.paramCount()));
            slice(net.state(), so, b.stateCount()).assign(slice(source.state(), so, a.stateCount()));
            po += b.paramCount();
            so += b.stateCount();
            copied++;
        }
        if (freeze > copied) {
            throw new InvalidSpecException("freezeLayers", freeze, "at most " + copied
                    + " (only the first " + copied + " layers match the base model's layers)");
        }
    }

    private static INDArray slice(INDArray flat, int from, int length) {
        return length == 0 ? flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 0)) : flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + length));
    }

    INDArray batchInput(int count) {
        return inputs.forBatch(count);
    }

    /** dL/dz buffer for the output layer, in the same order as its pre-activations. */
    INDArray outputGradient(int count, int units, char order) {
        if (outputGrads == null) outputGrads = new BatchBuffers<>(b -> NdArrays.zeros(order, b, units));
        return outputGrads.forBatch(count);
    }

    private static String fingerprint(PreparedRun p, TrainingRequest r) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(JSON.writeValueAsBytes(p.spec));
            d.update(JSON.writeValueAsBytes(p.training));
            d.update(JSON.writeValueAsBytes(p.preprocessing));
            d.update((r.train().checksum() + "|" + r.train().size() + "|" + r.validationSplit() + "|"
                    + (r.validation() == null ? "" : r.validation().checksum()) + "|" + r.freezeLayers()).getBytes());
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
