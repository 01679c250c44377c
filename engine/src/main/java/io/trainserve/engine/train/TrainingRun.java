package io.trainserve.engine.train;

import io.trainserve.engine.CallbackState;
import io.trainserve.engine.Checkpoint;
import io.trainserve.engine.CheckpointStore;
import io.trainserve.engine.Dataset;
import io.trainserve.engine.EngineInfo;
import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.EvaluationReport;
import io.trainserve.engine.Model;
import io.trainserve.engine.Outcome;
import io.trainserve.engine.Provenance;
import io.trainserve.engine.Target;
import io.trainserve.engine.TrainingListener;
import io.trainserve.engine.TrainingRequest;
import io.trainserve.engine.TrainingResult;
import io.trainserve.engine.nn.ForwardContext;
import io.trainserve.engine.nn.NdArrays;
import io.trainserve.engine.nn.Network;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.ModelCheckpointSpec;
import io.trainserve.engine.spec.TrainingSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.time.Instant;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * One training run: the mini-batch loop with shuffling, the optimizer step on the flat gradient,
 * weight penalties, metrics, callbacks, the divergence guard, epoch checkpoints and the final model.
 * Shuffling and dropout draw from generators seeded by (seed, epoch), so a run resumed from an epoch
 * checkpoint continues exactly as the uninterrupted run.
 */
public final class TrainingRun {
    /** An epoch loss this many times the first step's loss means the run has diverged. */
    static final double EXPLOSION_FACTOR = 1e3;

    private final TrainingRequest request;
    private final TrainingListener listener;
    private final CheckpointStore checkpoints;
    private final BooleanSupplier cancelled;

    private PreparedRun p;
    private Network net;
    private GradientUpdater<?> updater;
    private IUpdater updaterConfig;
    private INDArray updaterState;
    private FusedAdam fusedAdam;
    private List<Regularization> penalties;
    private int iteration;
    private double learningRate;
    private double firstLoss = Double.NaN;
    private CallbackState callbackState = new CallbackState();
    private final List<EpochMetrics> history = new ArrayList<>();
    private INDArray[] earlyBest, checkpointBest;
    private long startNanos;
    private boolean plainSgd;
    private ClassWeights classWeights;
    static final int PLAIN_SGD_MAX_PARAMS = 1 << 16;

    public TrainingRun(TrainingRequest request, TrainingListener listener, CheckpointStore checkpoints, BooleanSupplier cancelled) {
        this.request = request;
        this.listener = listener;
        this.checkpoints = checkpoints;
        this.cancelled = cancelled;
    }

    public TrainingResult run() {
        p = PreparedRun.of(request);
        classWeights = ClassWeights.of(p.trainingSpec == null ? null : p.trainingSpec.classWeight(), p.train.target());
        startNanos = System.nanoTime();
        net = NetworkBuilder.build(p.spec, p.inputShape, p.training.seed());
        if (request.baseModel() != null) p.copyBaseWeights(net, request.baseModel(), request.freezeLayers());
        ResolvedTraining t = p.training;
        learningRate = t.learningRate();
        updaterConfig = Optimizers.create(t.optimizer(), t.learningRate(), t.momentum());
        long stateSize = updaterConfig.stateSize(net.paramCount());
        updaterState = stateSize > 0 ? NdArrays.zeros('c', stateSize) : null;
        updater = updaterConfig.instantiate(updaterState, true);
        if (t.optimizer().equals("adam") && FusedAdam.supports(net.params(), updaterState)) fusedAdam = Optimizers.fusedAdam();
        // small float networks only: for large ones ND4J's vectorized op beats a scalar buffer loop
        plainSgd = t.optimizer().equals("sgd") && net.params().dataType() == DataType.FLOAT && net.paramCount() <= PLAIN_SGD_MAX_PARAMS;
        penalties = new ArrayList<>();
        if (t.l1() > 0) penalties.add(new L1Regularization(t.l1()));
        if (t.l2() > 0) penalties.add(new L2Regularization(2 * t.l2())); // Keras: l2 * sum(w^2), gradient 2 * l2 * w

        int startEpoch = 0;
        boolean finished = false;
        if (request.resumeFrom() != null) {
            startEpoch = resume(request.resumeFrom());
            finished = request.resumeFrom().progress().finished();
        }
        int steps = (p.trainRows + effectiveBatch() - 1) / effectiveBatch();
        listener.onStart(new TrainingListener.RunInfo(startEpoch, t.epochs(), steps, effectiveBatch(), p.trainRows,
                p.validation == null ? 0 : p.validation.size(), net.paramCount(), net.summary().render()));

        boolean stoppedEarly = false;
        EarlyStopping early = t.callbacks().earlyStopping() == null ? null : new EarlyStopping(t.callbacks().earlyStopping(), callbackState.early);
        ReduceLrOnPlateau plateau = t.callbacks().reduceLrOnPlateau() == null ? null
                : new ReduceLrOnPlateau(t.callbacks().reduceLrOnPlateau(), callbackState.plateau);
        for (int epoch = startEpoch + 1; epoch <= t.epochs() && !finished; epoch++) {
            EpochOutcome e = epoch(epoch, steps);
            if (e.cancelled) return new TrainingResult(Outcome.CANCELLED, null, List.copyOf(history), false, 0, null, "cancelled in epoch " + epoch);
            if (e.divergence != null) return new TrainingResult(Outcome.DIVERGED, null, List.copyOf(history), false, 0, null, e.divergence);
            Map<String, Double> m = e.metrics.metrics();
            trackCheckpointBest(epoch, m);
            boolean stop = early != null && early.onEpochEnd(epoch, m, () -> earlyBest = snapshot());
            if (plateau != null) {
                learningRate = plateau.onEpochEnd(m, learningRate);
                updaterConfig.setLrAndSchedule(learningRate, null);
            }
            finished = stop || epoch == t.epochs();
            if (checkpoints.wants(epoch, finished)) {
                listener.onCheckpoint(epoch);
                checkpoints.save(checkpoint(epoch, finished));
            }
            if (stop) {
                stoppedEarly = true;
                if (early.restoreBestWeights && earlyBest != null) restore(earlyBest);
            }
        }
        return finish(stoppedEarly, early);
    }

    private int effectiveBatch() {
        return Math.min(p.training.batchSize(), p.trainRows);
    }

    private record EpochOutcome(EpochMetrics metrics, boolean cancelled, String divergence) {
    }

    private EpochOutcome epoch(int epoch, int steps) {
        long epochStart = System.nanoTime();
        int batch = effectiveBatch(), units = net.outputUnits();
        int[] order = order(epoch);
        boolean byClass = p.train.target() instanceof Target.Classes; // else values: real, 0-1, or k labels per row
        int[] classes = byClass ? new int[batch] : null;
        float[] values = byClass ? null : new float[batch * units];
        float[] outputs = new float[batch * units];
        MetricAccumulator acc = new MetricAccumulator(p.train.target(), units, p.sigmoidOutput);
        double lossSum = 0;
        int seen = 0, frozen = request.baseModel() == null ? 0 : request.freezeLayers();
        ForwardContext ctx = new ForwardContext(true, dropoutRandom(p.training.seed(), epoch));
        for (int step = 0; step < steps; step++) {
            int from = step * batch, count = Math.min(batch, p.trainRows - from);
            INDArray x = p.batchInput(count);
            p.trainInput.gather(order, from, count, x);
            labels(order, from, count, classes, values, x);
            INDArray z = net.forward(x, ctx, frozen);
            INDArray dz = p.outputGradient(count, units, z.ordering());
            double loss = net.head().apply(z, classes, values, outputs, dz);
            if (classWeights != null) classWeights.apply(dz, classes, count);
            if (Double.isNaN(firstLoss)) firstLoss = loss;
            if (!Double.isFinite(loss)) return diverged(epoch, step + 1, "the loss became " + loss);
            net.backward(dz, frozen);
            for (INDArray[] wg : net.penalized(frozen)) {
                for (Regularization r : penalties) r.apply(wg[0], wg[1], learningRate, iteration, epoch - 1);
            }
            step(epoch);
            iteration++;
            lossSum += loss * count;
            seen += count;
            acc.add(outputs, order, from, count);
            double elapsed = (System.nanoTime() - epochStart) / 1e9;
            listener.onStep(new TrainingListener.StepProgress(epoch, p.training.epochs(), step + 1, steps, lossSum / seen,
                    learningRate, seen / Math.max(elapsed, 1e-9)));
            if (cancelled.getAsBoolean()) return new EpochOutcome(null, true, null);
        }
        double penalty = penalty();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", lossSum / seen + penalty);
        acc.into("", metrics);
        double trainLoss = metrics.get("loss");
        if (!Double.isFinite(trainLoss) || !allFinite(net.params())) {
            return diverged(epoch, steps, "the weights became NaN or infinite");
        }
        if (trainLoss > EXPLOSION_FACTOR * firstLoss && trainLoss > 10) {
            return diverged(epoch, steps, String.format("the loss rose from %.4g at the first step to %.4g", firstLoss, trainLoss));
        }
        if (p.validation != null) {
            Evaluator.Outputs o = Evaluator.run(net, p.validation.features(), p.scaling, p.validation.size(), p.validation.target(), 1000);
            metrics.putAll(Evaluator.metrics("val_", o, p.validation.target(), p.sigmoidOutput, penalty));
        }
        long millis = (System.nanoTime() - epochStart) / 1_000_000;
        EpochMetrics row = new EpochMetrics(epoch, metrics, learningRate, millis, seen / Math.max(millis / 1000.0, 1e-9));
        history.add(row);
        listener.onEpochEnd(row);
        return new EpochOutcome(row, false, null);
    }

    /**
     * Whether every parameter is finite, read straight from the buffer: a tiny network trains an epoch
     * in ~0.1 ms, and ND4J's sum op (the check before) cost a noticeable part of that.
     */
    private static boolean allFinite(INDArray params) {
        if (params.dataType() != DataType.FLOAT) return Double.isFinite(params.sumNumber().doubleValue());
        FloatBuffer b = NdArrays.floatBuffer(params);
        float sum = 0;
        for (int i = 0, n = (int) params.length(); i < n; i++) sum += b.get(i) * 0f; // NaN or infinity stays NaN; anything else 0
        return sum == 0f;
    }

    /**
     * One optimizer step on the flat arrays: fused Adam when it applies; plain SGD as one loop over the
     * buffers (ND4J's updater op and a subtraction are two native calls per step, most of a tiny
     * network's step); else ND4J's updater and a subtraction.
     */
    private void step(int epoch) {
        if (fusedAdam != null) {
            fusedAdam.step(net.params(), net.grads(), updaterState, learningRate, iteration);
            return;
        }
        if (plainSgd) {
            FloatBuffer params = NdArrays.floatBuffer(net.params()), grads = NdArrays.floatBuffer(net.grads());
            float lr = (float) learningRate;
            for (int i = 0, n = (int) net.params().length(); i < n; i++) params.put(i, params.get(i) - lr * grads.get(i));
            return;
        }
        updater.applyUpdater(net.grads(), iteration, epoch - 1);
        if (Optimizers.scalesStepByLearningRate(p.training.optimizer())) net.grads().muli(learningRate);
        net.params().subi(net.grads());
    }

    private EpochOutcome diverged(int epoch, int step, String what) {
        return new EpochOutcome(null, false, String.format("Training diverged in epoch %d, step %d: %s. "
                        + "Lower the learning rate (now %s) or scale the inputs (preprocessing.scaling: standardize or minmax).",
                epoch, step, what, learningRate));
    }

    /** Row order for an epoch: a fresh permutation from (seed, epoch) when shuffling, else file order. */
    private int[] order(int epoch) {
        int[] order = new int[p.trainRows];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (p.training.shuffle()) {
            SplittableRandom rng = new SplittableRandom(mix(p.training.seed(), epoch));
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
        return order;
    }

    /** Dropout masks of an epoch: seeded by (seed, epoch) like the shuffle, but another stream than the shuffle's. */
    private static SplittableRandom dropoutRandom(long seed, int epoch) {
        return new SplittableRandom(mix(seed, epoch) ^ 0xD1B54A32D192ED03L);
    }

    private static long mix(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L;
    }

    /** @param x the batch's scaled input: an autoencoder's target */
    private void labels(int[] order, int from, int count, int[] classes, float[] values, INDArray x) {
        if (p.train.target() instanceof Target.Reconstruction) {
            NdArrays.read(x, values);
        } else if (p.train.target() instanceof Target.Classes c) {
            for (int i = 0; i < count; i++) classes[i] = c.indices()[order[from + i]];
        } else if (p.train.target() instanceof Target.Labels l) {
            int k = l.columns().size();
            for (int i = 0; i < count; i++) System.arraycopy(l.values(), order[from + i] * k, values, i * k, k);
        } else {
            float[] v = ((Target.Values) p.train.target()).values();
            for (int i = 0; i < count; i++) values[i] = v[order[from + i]];
        }
    }

    /** Weight penalty of all layers (frozen ones too, as Keras counts their regularization losses). */
    private double penalty() {
        double total = 0;
        for (INDArray[] wg : net.penalized(0)) for (Regularization r : penalties) total += r.score(wg[0], iteration, 0);
        return total;
    }

    private void trackCheckpointBest(int epoch, Map<String, Double> metrics) {
        ModelCheckpointSpec mc = p.training.callbacks().modelCheckpoint();
        if (mc == null || !Boolean.TRUE.equals(mc.saveBestOnly())) return;
        Monitor monitor = Monitor.of(mc.monitor() == null ? io.trainserve.engine.spec.KerasDefaults.MONITOR : mc.monitor(), mc.mode());
        Double current = monitor.read(metrics);
        if (current == null) return;
        double best = Double.isNaN(callbackState.best.value) ? monitor.worst() : callbackState.best.value;
        if (monitor.improves(current, best, 0)) {
            callbackState.best.value = current;
            callbackState.best.epoch = epoch;
            checkpointBest = snapshot();
        }
    }

    private INDArray[] snapshot() {
        return new INDArray[]{net.params().dup(), net.state().dup()};
    }

    private void restore(INDArray[] snapshot) {
        net.params().assign(snapshot[0]);
        net.state().assign(snapshot[1]);
    }

    /** The optimizer state as ND4J lays it out, current (fused Adam keeps its moments on the heap). */
    private INDArray optimizerState() {
        if (fusedAdam != null && updaterState != null) fusedAdam.store(updaterState);
        return updaterState;
    }

    private Checkpoint checkpoint(int epoch, boolean finished) {
        Model current = model(net.params().dup(), net.state().dup(), history.isEmpty() ? Map.of() : history.get(history.size() - 1).metrics(),
                null, epoch);
        return new Checkpoint(current, new Checkpoint.Progress(epoch, learningRate, callbackState, firstLoss, p.fingerprint, finished),
                earlyBest, checkpointBest);
    }

    private int resume(Checkpoint c) {
        if (!p.fingerprint.equals(c.progress().fingerprint())) {
            throw new IllegalArgumentException("the checkpoint belongs to another run (different spec, data or seed)");
        }
        Model.Parts parts = c.model().parts();
        net.params().assign(parts.params());
        net.state().assign(parts.state());
        if (updaterState != null && parts.updaterState() != null) updaterState.assign(parts.updaterState());
        iteration = parts.iteration();
        learningRate = c.progress().learningRate();
        updaterConfig.setLrAndSchedule(learningRate, null);
        callbackState = c.progress().callbacks();
        firstLoss = c.progress().firstLoss();
        history.addAll(parts.history());
        earlyBest = c.earlyStoppingBest();
        checkpointBest = c.checkpointBest();
        return c.progress().epoch();
    }

    private TrainingResult finish(boolean stoppedEarly, EarlyStopping early) {
        int keptEpoch = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
        ModelCheckpointSpec mc = p.training.callbacks().modelCheckpoint();
        if (mc != null && Boolean.TRUE.equals(mc.saveBestOnly()) && checkpointBest != null) {
            restore(checkpointBest);
            keptEpoch = callbackState.best.epoch;
        } else if (stoppedEarly && early.restoreBestWeights && earlyBest != null) {
            keptEpoch = early.bestEpoch();
        }
        int kept = keptEpoch;
        Map<String, Double> metrics = history.stream().filter(h -> h.epoch() == kept).findFirst().map(EpochMetrics::metrics).orElse(Map.of());
        if (p.target instanceof Target.Reconstruction) p.target = AnomalyScores.fitThreshold(net, p.train, p.scaling, request.anomaly());
        EvaluationReport test = null;
        if (p.test != null) test = Evaluator.report(net, p.test.features(), p.scaling, p.test.size(), p.test.target(), 1000);
        Model model = model(net.params(), net.state(), metrics, test, history.size());
        return new TrainingResult(Outcome.SUCCEEDED, model, List.copyOf(history), stoppedEarly, keptEpoch, test, null);
    }

    private Model model(INDArray params, INDArray state, Map<String, Double> metrics, EvaluationReport test, int epochsRun) {
        Provenance provenance = new Provenance(p.train.checksum(), p.training.seed(), EngineInfo.version(), EngineInfo.nd4jVersion(),
                EngineInfo.jvm(), EngineInfo.os(), Instant.now().toString(), (System.nanoTime() - startNanos) / 1e9, epochsRun,
                request.baseModel() == null ? null : describe(request.baseModel()), null);
        TrainingSpec spec = p.trainingSpec;
        return new Model(new Model.Parts(p.spec, spec, p.preprocessing, p.train.inputSchema(), p.target, p.scaling, params, state,
                optimizerState() == null ? null : optimizerState().dup(), iteration, metrics, test, provenance, List.copyOf(history)));
    }

    private static String describe(Model base) {
        Provenance bp = base.provenance();
        if (bp != null && bp.imported() != null) {
            return bp.imported().format() + " model imported from " + bp.imported().fileName() + " (sha256 " + bp.imported().sha256() + ")";
        }
        return "model trained at " + (bp == null ? "?" : bp.trainedAt()) + " on dataset " + (bp == null ? "?" : bp.datasetChecksum());
    }
}
