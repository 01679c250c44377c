package io.trainserve.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The state of a run after an epoch: the model as it stands (with optimizer state), the epoch,
 * learning rate, callback counters and best-weight snapshots, so a resumed run continues exactly
 * as an uninterrupted one would. Written as a model bundle with extra entries.
 */
public record Checkpoint(Model model, Progress progress, INDArray[] earlyStoppingBest, INDArray[] checkpointBest) {

    /**
     * @param fingerprint identifies the run (spec, data, seed); a checkpoint only resumes its own run
     * @param firstLoss   the first step's loss, the divergence guard's reference
     */
    public record Progress(int epoch, double learningRate, CallbackState callbacks, double firstLoss, String fingerprint,
                           boolean finished) {
    }

    public int epoch() {
        return progress.epoch();
    }

    public void write(OutputStream out) throws IOException {
        ModelBundle.write(model, this, out);
    }

    public static Checkpoint read(InputStream in) throws IOException {
        ModelBundle.Contents c = ModelBundle.read(in);
        if (c.checkpoint() == null) throw new IOException("not a checkpoint: a model bundle without training progress");
        return c.checkpoint();
    }
}
