package io.trainserve.engine.preprocess;

import io.trainserve.engine.spec.InvalidSpecException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * Feature scaling fitted on the training split only. Statistics come from ND4J's normalizers;
 * every scaling is then an affine map per feature, {@code x' = x * scale + shift}, applied in plain
 * Java so predict needs no ND4J call and is trivially thread-safe. A constant feature (zero range or
 * zero deviation) is only shifted, never divided by zero.
 */
public record Scaling(String kind, float[] scale, float[] shift) {
    public static final List<String> KINDS = io.trainserve.engine.spec.Vocabulary.names(io.trainserve.engine.spec.ScalingKind.class);

    public static Scaling fit(String kind, float[] features, int rows, int width) {
        return switch (kind) {
            case "none" -> constant(kind, width, 1f);
            case "pixel" -> constant(kind, width, 1f / 255f);
            case "minmax", "minmax_symmetric" -> minMax(kind, features, rows, width);
            case "standardize" -> standardize(features, rows, width);
            default -> throw new InvalidSpecException("preprocessing.scaling", kind, io.trainserve.engine.spec.Vocabulary.allowed(io.trainserve.engine.spec.ScalingKind.class));
        };
    }

    private static Scaling constant(String kind, int width, float scale) {
        float[] s = new float[width];
        Arrays.fill(s, scale);
        return new Scaling(kind, s, new float[width]);
    }

    private static Scaling minMax(String kind, float[] features, int rows, int width) {
        boolean symmetric = kind.equals("minmax_symmetric");
        NormalizerMinMaxScaler n = new NormalizerMinMaxScaler(symmetric ? -1 : 0, 1);
        n.fit(new DataSet(matrix(features, rows, width), null));
        float[] min = n.getMin().toFloatVector(), max = n.getMax().toFloatVector();
        float lo = (float) n.getTargetMin(), span = (float) (n.getTargetMax() - n.getTargetMin());
        float[] scale = new float[width], shift = new float[width];
        for (int j = 0; j < width; j++) {
            float range = max[j] - min[j];
            scale[j] = range > 0 ? span / range : 0f;
            shift[j] = range > 0 ? lo - min[j] * scale[j] : lo;
        }
        return new Scaling(kind, scale, shift);
    }

    private static Scaling standardize(float[] features, int rows, int width) {
        NormalizerStandardize n = new NormalizerStandardize();
        n.fit(new DataSet(matrix(features, rows, width), null));
        float[] mean = n.getMean().toFloatVector(), std = n.getStd().toFloatVector();
        float[] scale = new float[width], shift = new float[width];
        for (int j = 0; j < width; j++) {
            scale[j] = std[j] > 1e-12f ? 1f / std[j] : 1f;
            shift[j] = -mean[j] * scale[j];
        }
        return new Scaling("standardize", scale, shift);
    }

    private static INDArray matrix(float[] features, int rows, int width) {
        return Nd4j.create(features, new long[]{rows, width}, 'c').castTo(DataType.FLOAT);
    }

    /** Scales rows in place: {@code data} holds {@code data.length / width} rows. */
    public void applyInPlace(float[] data) {
        if (data.length == scale.length) { // one row (a single predict): every index offset is zero already
            float[] s = scale, t = shift;
            for (int j = 0; j < data.length; j++) data[j] = data[j] * s[j] + t[j];
            return;
        }
        ScalingStage stage = stage(data.length / Math.max(1, scale.length));
        for (int at = 0; at < data.length; ) {
            int length = stage.stage(data, at, data.length);
            System.arraycopy(stage.chunk(), 0, data, at, length);
            at += length;
        }
    }

    public float[] apply(float[] data) {
        float[] copy = data.clone();
        applyInPlace(copy);
        return copy;
    }

    /** A stage that scales rows chunk by chunk on their way into a network's input; one per thread. */
    public ScalingStage stage() {
        return stage(Integer.MAX_VALUE);
    }

    /** A stage for inputs of at most {@code rows} rows (a smaller chunk for a few rows). */
    public ScalingStage stage(int rows) {
        return new ScalingStage(scale, shift, rows);
    }
}
