package io.trainserve.bench;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.EngineInfo;
import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.Model;
import io.trainserve.engine.Outcome;
import io.trainserve.engine.Target;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.TrainingListener;
import io.trainserve.engine.TrainingRequest;
import io.trainserve.engine.TrainingResult;
import io.trainserve.engine.CheckpointStore;
import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.engine.data.IdxReader;
import io.trainserve.engine.data.ImageSet;
import io.trainserve.engine.nn.ParallelLoops;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.ModelSpec;
import io.trainserve.engine.spec.PreprocessingSpec;
import io.trainserve.engine.spec.TrainingSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Engine side of the engine-vs-PyTorch benchmark (issue 3); bench/pytorch_peer.py is the PyTorch
 * side. Same data (Fashion-MNIST from the IDX .gz files, pixels / 255 via the "pixel" scaling),
 * same models, Adam 0.001, batch 100, shuffling each epoch; {@code --warmup} warm-up epochs (default 1;
 * the JIT compiles the hot loops during the first two), then {@code --epochs} measured epochs (wall time between the listener's epoch-end calls). Prints one
 * JSON line per measurement on stdout with the same keys as the peer; progress goes to stderr.
 *
 * <pre>java -cp ... io.trainserve.bench.EngineBench --workload mlp --threads 2 --epochs 3 --repeats 1</pre>
 */
public final class EngineBench {
    static final List<String> WORKLOADS = List.of("softmax", "mlp", "mlp_bn_dropout", "cnn", "predict_single", "predict_batch256");
    static final String LOSS = "sparse_categorical_crossentropy";

    private EngineBench() {
    }

    /** The benchmark's models, in the engine's vocabulary (the peer script builds the same ones). */
    public static ModelSpec spec(String workload) {
        return switch (workload) {
            case "softmax" -> ModelSpec.of(LOSS, LayerSpec.flatten(), LayerSpec.dense(10, "softmax"));
            case "mlp", "predict_single", "predict_batch256" -> ModelSpec.of(LOSS, LayerSpec.flatten(),
                    LayerSpec.dense(256, "relu"), LayerSpec.dense(256, "relu"), LayerSpec.dense(10, "softmax"));
            case "mlp_bn_dropout" -> ModelSpec.of(LOSS, LayerSpec.flatten(),
                    LayerSpec.dense(256, "relu"), LayerSpec.batchNorm(), LayerSpec.dropout(0.3),
                    LayerSpec.dense(256, "relu"), LayerSpec.batchNorm(), LayerSpec.dropout(0.3),
                    LayerSpec.dense(10, "softmax"));
            case "cnn" -> ModelSpec.of(LOSS,
                    LayerSpec.conv2d(32, 3, "relu"), LayerSpec.maxPool2d(2),
                    LayerSpec.conv2d(64, 3, "relu"), LayerSpec.maxPool2d(2),
                    LayerSpec.flatten(), LayerSpec.dense(10, "softmax"));
            default -> throw new IllegalArgumentException("unknown workload " + workload + "; one of " + WORKLOADS);
        };
    }

    record Data(Dataset train, Dataset test) {
    }

    public static Data load(Path dir, int trainRows) {
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        if (!Files.exists(images)) {
            throw new IllegalStateException(images + " is missing: apt-get install dataset-fashion-mnist");
        }
        Dataset train = DatasetBuilder.fromImages(IdxReader.read(images, dir.resolve("train-labels-idx1-ubyte.gz")));
        ImageSet t = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
        Dataset test = DatasetBuilder.fromImages(t, (Target.Classes) train.target());
        if (trainRows > 0 && trainRows < train.size()) {
            int[] first = new int[trainRows];
            for (int i = 0; i < trainRows; i++) first[i] = i;
            train = train.subset(first);
        }
        return new Data(train, test);
    }

    record Trained(Model model, double[] epochSeconds, Map<String, Double> last, double testAccuracy) {
    }

    /** Trains {@code warmup} + {@code measured} epochs; returns the measured epochs' wall times. */
    public static Trained train(String workload, int warmup, int measured, long seed, Data data) {
        int epochs = warmup + measured;
        long[] marks = new long[epochs + 1];
        int[] seen = {0};
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStart(RunInfo info) {
                marks[0] = System.nanoTime();
            }

            @Override
            public void onEpochEnd(EpochMetrics e) {
                long now = System.nanoTime();
                int i = ++seen[0];
                if (i <= epochs) marks[i] = now;
                System.err.printf(Locale.ROOT, "  [engine %s] epoch %d/%d%s: %.3f s (engine: %d ms), loss %.4f, acc %.4f%n",
                        workload, e.epoch(), epochs, i <= warmup ? " (warm-up)" : "", (now - marks[i - 1]) / 1e9, e.durationMillis(),
                        e.metrics().getOrDefault("loss", Double.NaN), e.metrics().getOrDefault("accuracy", Double.NaN));
            }
        };
        TrainingRequest request = TrainingRequest.of(data.train(), spec(workload), TrainingSpec.of("adam", 0.001, epochs, 100, seed))
                .withPreprocessing(PreprocessingSpec.scaling("pixel"))
                .withTest(data.test());
        TrainingResult r = new Trainer().train(request, listener, CheckpointStore.NONE, () -> false);
        if (r.outcome() != Outcome.SUCCEEDED) {
            throw new IllegalStateException(workload + ": training " + r.outcome() + ": " + r.message());
        }
        if (seen[0] != epochs) throw new IllegalStateException(workload + ": " + seen[0] + " epochs reported, expected " + epochs);
        double[] seconds = new double[measured];
        for (int i = 0; i < measured; i++) seconds[i] = (marks[warmup + i + 1] - marks[warmup + i]) / 1e9;
        Map<String, Double> last = r.history().get(r.history().size() - 1).metrics();
        return new Trained(r.model(), seconds, last, r.test().metrics().get("accuracy"));
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = parse(args);
        String workload = a.get("workload");
        if (workload == null || !WORKLOADS.contains(workload)) {
            usage("--workload must be one of " + WORKLOADS);
        }
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "3"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "1"));
        int repeats = Integer.parseInt(a.getOrDefault("repeats", "1"));
        int trainRows = Integer.parseInt(a.getOrDefault("train-rows", "0"));
        int calls = Integer.parseInt(a.getOrDefault("calls", "5000"));
        double duration = Double.parseDouble(a.getOrDefault("seconds", "3"));
        // untimed predicts first: the JIT compiles the predict paths' loops over ~2 s of calls, and
        // a service answers from its steady state (the training rows get warm-up epochs alike)
        double warmupSeconds = Double.parseDouble(a.getOrDefault("warmup-seconds", "2"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        Path dir = Path.of(a.getOrDefault("data", System.getenv().getOrDefault("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")));

        Data data = load(dir, trainRows);
        Map<String, Object> common = new LinkedHashMap<>();
        common.put("round", Integer.parseInt(a.getOrDefault("round", "0"))); // bench/run.sh's round number
        common.put("side", "engine");
        common.put("workload", workload);
        common.put("threads", threads);
        common.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", ""));
        common.put("engine_threads", ParallelLoops.MAX_PARTS); // the engine's own split (BLAS runs on one thread)
        common.put("version", EngineInfo.version() + " (nd4j " + EngineInfo.nd4jVersion() + ", " + EngineInfo.jvm() + ")");
        common.put("coretype", System.getenv().getOrDefault("OPENBLAS_CORETYPE", ""));
        common.put("omp_wait_policy", System.getenv().getOrDefault("OMP_WAIT_POLICY", ""));

        boolean training = List.of("softmax", "mlp", "mlp_bn_dropout", "cnn").contains(workload);
        Trained mlp = training ? null : train("mlp", 1, Math.max(epochs - 1, 0), seed, data);
        float[] test = data.test().features();
        int width = data.test().width(), testRows = data.test().size();
        double sink = 0;
        for (int r = 1; r <= repeats; r++) {
            Map<String, Object> out = new LinkedHashMap<>(common);
            out.put("repeat", r);
            if (training) {
                Trained t = train(workload, warmup, epochs, seed + r - 1, data);
                out.put("blas", loadedBlas());
                out.put("train_rows", data.train().size());
                out.put("batch", 100);
                out.put("warmup_epochs", warmup);
                out.put("measured_epochs", t.epochSeconds().length);
                out.put("epoch_seconds", round(t.epochSeconds(), 4));
                out.put("seconds_per_epoch", round(median(t.epochSeconds()), 4));
                out.put("train_loss", round(t.last().get("loss"), 5));
                out.put("train_accuracy", round(t.last().get("accuracy"), 5));
                out.put("test_accuracy", round(t.testAccuracy(), 5));
            } else if (workload.equals("predict_single")) {
                float[][] rows = new float[testRows][];
                for (int i = 0; i < testRows; i++) rows[i] = Arrays.copyOfRange(test, i * width, (i + 1) * width);
                // warm-up: as many calls as timed, and for the warm-up seconds: after 5000 calls the
                // JIT had sometimes not yet compiled the forward loops (medians 13 or 50-60 µs by round)
                long w0 = System.nanoTime();
                for (int i = 0; i < calls || System.nanoTime() - w0 < warmupSeconds * 1e9; i++) {
                    sink += mlp.model().outputs(rows[i % testRows], 1)[0];
                }
                double[] lat = new double[calls];
                for (int i = 0; i < calls; i++) {
                    long t0 = System.nanoTime();
                    float[] o = mlp.model().outputs(rows[i % testRows], 1);
                    lat[i] = (System.nanoTime() - t0) / 1e3;
                    sink += o[0];
                }
                Arrays.sort(lat);
                out.put("blas", loadedBlas());
                out.put("calls", calls);
                out.put("median_us", round(median(lat), 2));
                out.put("p99_us", round(percentile(lat, 99), 2));
                out.put("mean_us", round(Arrays.stream(lat).average().orElse(Double.NaN), 2));
                JitterFloor floor = new JitterFloor();
                double[] floorLat = floor.latencies(median(lat), calls);
                sink += floor.sink();
                out.put("floor_median_us", round(median(floorLat), 2));
                out.put("floor_p99_us", round(percentile(floorLat, 99), 2));
                out.put("test_accuracy", round(mlp.testAccuracy(), 5));
            } else {
                List<float[]> batches = new ArrayList<>();
                for (int i = 0; i + 256 <= testRows; i += 256) batches.add(Arrays.copyOfRange(test, i * width, (i + 256) * width));
                long w0 = System.nanoTime();
                do {
                    for (float[] b : batches) sink += mlp.model().outputs(b, 256)[0];
                } while (System.nanoTime() - w0 < warmupSeconds * 1e9);
                long n = 0, t0 = System.nanoTime();
                double dt;
                while (true) {
                    for (float[] b : batches) sink += mlp.model().outputs(b, 256)[0];
                    n += batches.size() * 256L;
                    dt = (System.nanoTime() - t0) / 1e9;
                    if (dt >= duration) break;
                }
                out.put("blas", loadedBlas());
                out.put("batch", 256);
                out.put("warmup_seconds", warmupSeconds);
                out.put("samples", n);
                out.put("seconds", round(dt, 3));
                out.put("samples_per_second", round(n / dt, 1));
                out.put("test_accuracy", round(mlp.testAccuracy(), 5));
            }
            System.out.println(json(out));
            System.out.flush();
        }
        if (sink == 42.4242) System.err.println("(sink)"); // keeps the predict results alive
        System.exit(0); // ND4J's non-daemon threads
    }

    static String loadedBlas() {
        try {
            TreeSet<String> libs = new TreeSet<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) continue;
                String path = line.substring(slash), name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
                if (name.contains("blas") && !name.startsWith("libjni")) libs.add(path);
            }
            return libs.isEmpty() ? "unknown" : String.join(",", libs);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** Nearest-rank percentile of sorted values (the peer uses the same definition). */
    static double percentile(double[] sorted, double q) {
        int k = (int) Math.round(q / 100 * sorted.length + 0.5) - 1;
        return sorted[Math.min(sorted.length - 1, Math.max(0, k))];
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) return v;
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static double[] round(double[] v, int digits) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = round(v[i], digits);
        return r;
    }

    static String json(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (sb.length() > 1) sb.append(", ");
            sb.append(quote(e.getKey())).append(": ").append(value(e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String value(Object v) {
        if (v instanceof double[] d) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < d.length; i++) sb.append(i > 0 ? ", " : "").append(value(d[i]));
            return sb.append(']').toString();
        }
        if (v instanceof Double d) return Double.isFinite(d) ? Double.toString(d) : "NaN";
        if (v instanceof Number) return v.toString();
        return quote(String.valueOf(v));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!k.startsWith("--")) usage("unexpected argument " + k);
            String key = k.substring(2), val;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                val = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.length) usage(k + " needs a value");
                val = args[++i];
            }
            m.put(key, val);
        }
        return m;
    }

    private static void usage(String problem) {
        System.err.println("EngineBench: " + problem);
        System.err.println("usage: EngineBench --workload " + String.join("|", WORKLOADS)
                + " [--threads 2] [--epochs 3] [--repeats 1] [--train-rows 0] [--calls 5000] [--seconds 3] [--warmup-seconds 2] [--seed 1] [--round 0] [--data DIR]");
        System.exit(2);
    }
}
