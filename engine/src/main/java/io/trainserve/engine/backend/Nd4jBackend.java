package io.trainserve.engine.backend;

import io.trainserve.engine.CheckpointStore;
import io.trainserve.engine.DataTable;
import io.trainserve.engine.DataDescription;
import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.EngineBackend;
import io.trainserve.engine.ImageData;
import io.trainserve.engine.ImageFolderLimits;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.KerasImport;
import io.trainserve.engine.Model;
import io.trainserve.engine.Plan;
import io.trainserve.engine.Target;
import io.trainserve.engine.TrainingListener;
import io.trainserve.engine.TrainingRequest;
import io.trainserve.engine.TrainingResult;
import io.trainserve.engine.data.CsvTableReader;
import io.trainserve.engine.data.IdxReader;
import io.trainserve.engine.data.ImageFolders;
import io.trainserve.engine.data.ImagePixels;
import io.trainserve.engine.interop.KerasImporter;
import io.trainserve.engine.interop.KerasWriter;
import io.trainserve.engine.interop.OnnxGraph;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.spec.TargetSpec;
import io.trainserve.engine.spec.Violation;
import io.trainserve.engine.train.PlanCheck;
import io.trainserve.engine.train.TrainingRun;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The engine's implementation behind its root vocabulary: this engine's networks on ND4J (see {@link EngineBackend}). */
public final class Nd4jBackend implements EngineBackend {

    @Override
    public Inference inference(Model.Parts parts) {
        return new NetworkInference(parts);
    }

    @Override
    public List<Violation> check(Plan plan, DataDescription data) {
        return PlanCheck.violations(plan, data);
    }

    @Override
    public List<Violation> check(Plan plan, DatasetDescription data, TargetSpec target) {
        return PlanCheck.violations(plan, data, target);
    }

    @Override
    public TrainingResult train(TrainingRequest request, TrainingListener listener, CheckpointStore checkpoints, BooleanSupplier cancelled) {
        return new TrainingRun(request, listener, checkpoints, cancelled).run();
    }

    @Override
    public boolean recognizesKeras(byte[] file) {
        return KerasImporter.recognizes(file);
    }

    @Override
    public Model readKeras(byte[] file, KerasImport.Options options) {
        return KerasImporter.read(file, options);
    }

    @Override
    public byte[] toH5(Model model) {
        Model.Parts p = model.parts();
        return KerasWriter.write(NetworkBuilder.restore(p), p.scaling(), p.spec().loss(), p.training());
    }

    @Override
    public byte[] toOnnx(Model model) {
        Model.Parts p = model.parts();
        Map<String, String> metadata = new LinkedHashMap<>();
        InputSchema schema = model.inputSchema();
        if (schema.isImage()) metadata.put("image_shape", schema.imageShape().toString()); // [C, H, W], flattened channels-first
        else metadata.put("input_features", String.join(",", schema.expandedNames()));
        metadata.put("scaling", p.scaling().kind());
        metadata.put("loss", p.spec().loss());
        if (model.anomalyDetector() != null) { // the graph gives the reconstruction; the score and threshold are for the reader to apply
            metadata.put("task", "anomaly");
            metadata.put("anomaly_score", "mean over the features of (values - scaled input)^2, the scaled input being input * scale + shift");
            metadata.put("anomaly_threshold", String.valueOf(model.anomalyDetector().threshold()));
        }
        if (p.target() instanceof Target.Labels) metadata.put("multi_label", "true"); // class_names are then independent 0/1 labels
        return OnnxGraph.write(NetworkBuilder.restore(p), p.scaling(), p.target().classification(), model.classNames(), metadata);
    }

    @Override
    public DataTable readCsv(Path file) {
        return new TableFile(CsvTableReader.read(file));
    }

    @Override
    public ImageData readIdx(Path images, Path labels) {
        return new ImageFile(IdxReader.read(images, labels));
    }

    @Override
    public ImageData readImageFolders(Path zip, int height, int width, ImageFolderLimits limits) {
        return new ImageFile(ImageFolders.read(zip, height, width, limits));
    }

    @Override
    public int[] imageSize(byte[] file) {
        return ImagePixels.size(file);
    }

    @Override
    public byte[] imagePixels(byte[] file, int channels, int height, int width) {
        BufferedImage image = ImagePixels.decode(file);
        return image == null ? null : ImagePixels.of(image, channels, height, width);
    }
}
