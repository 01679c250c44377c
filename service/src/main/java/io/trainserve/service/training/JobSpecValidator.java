package io.trainserve.service.training;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.Target;
import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.engine.data.MissingPolicy;
import io.trainserve.engine.nn.NetworkBuilder;
import io.trainserve.engine.nn.Shape;
import io.trainserve.engine.nn.TargetKind;
import io.trainserve.engine.preprocess.Scaling;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.TrainingSpec;
import io.trainserve.engine.spec.Violation;
import io.trainserve.engine.train.ResolvedTraining;
import io.trainserve.service.dataset.DatasetCatalog;
import io.trainserve.service.dataset.DatasetRef;
import io.trainserve.service.dataset.Format;
import io.trainserve.service.dataset.LoadedData;
import io.trainserve.service.registry.ModelRegistry;
import io.trainserve.service.system.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks a job spec against its datasets before it is queued, so that a bad spec is a 400 naming the
 * field now rather than a FAILED job later. Unknown dataset or base model ids are 404s. The network
 * itself is checked by the engine ({@link NetworkBuilder#validate}) against the dataset's input shape
 * and target.
 */
@Component
class JobSpecValidator {
    static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final DatasetCatalog datasets;
    private final ModelRegistry registry;

    JobSpecValidator(DatasetCatalog datasets, ModelRegistry registry) {
        this.datasets = datasets;
        this.registry = registry;
    }

    void validate(JobSpec spec) {
        List<Violation> v = new ArrayList<>();
        if (spec.modelId() == null || !MODEL_ID.matcher(spec.modelId()).matches()) {
            v.add(new Violation("modelId", quoted(spec.modelId()), "1-100 characters of letters, digits, '.', '_', '-', starting with a letter or digit"));
        }
        if (spec.datasetId() == null) {
            v.add(new Violation("datasetId", "none", "the id of an uploaded dataset"));
            throw new InvalidSpecException(v);
        }
        DatasetRef train = datasets.get(spec.datasetId(), "datasetId");
        if (spec.validation() != null) checkValidation(spec.validation(), train, v);
        if (spec.test() != null) {
            if (spec.test().datasetId() == null) v.add(new Violation("test.datasetId", "none", "the id of an uploaded dataset"));
            else sameFormat("test.datasetId", datasets.get(spec.test().datasetId(), "test.datasetId"), train, v);
        }
        if (spec.preprocessing() != null) {
            String scaling = spec.preprocessing().scaling();
            if (scaling != null && !Scaling.KINDS.contains(scaling)) {
                v.add(new Violation("preprocessing.scaling", quoted(scaling), String.join(", ", Scaling.KINDS)));
            }
            try {
                MissingPolicy.parse(spec.preprocessing().missing());
            } catch (InvalidSpecException e) {
                v.addAll(e.violations());
            }
        }
        checkTraining(spec, v);
        if (spec.baseModel() != null) checkBaseModel(spec.baseModel(), v);
        else if (spec.model() == null) v.add(new Violation("model", "none", "a model {layers, loss}, or a baseModel to start from"));
        boolean targetOk = checkTarget(spec, train, v);
        if (targetOk && spec.model() != null) checkNetwork(spec, train, v);
        if (!v.isEmpty()) throw new InvalidSpecException(v);
    }

    private boolean checkTarget(JobSpec spec, DatasetRef train, List<Violation> v) {
        if (train.format() == Format.IDX) {
            if (spec.target() != null && !"label".equals(spec.target())) {
                v.add(new Violation("target", quoted(spec.target()), "\"label\" (or nothing) for an image dataset"));
                return false;
            }
            return true;
        }
        if (spec.target() == null) {
            v.add(new Violation("target", "none", "one of the dataset's columns " + train.columns()));
            return false;
        }
        if (!train.columns().contains(spec.target())) {
            v.add(new Violation("target", quoted(spec.target()), "one of the dataset's columns " + train.columns()));
            return false;
        }
        return true;
    }

    /** Builds the training set as the engine will, then lets the engine check the network against it. */
    private void checkNetwork(JobSpec spec, DatasetRef train, List<Violation> v) {
        String loss = spec.model().loss();
        boolean classification = loss != null && loss.endsWith("crossentropy");
        Shape shape;
        TargetKind kind;
        LoadedData data = datasets.load(train);
        if (data instanceof LoadedData.TableData t) {
            String missing = spec.preprocessing() == null ? null : spec.preprocessing().missing();
            Dataset built;
            try {
                built = DatasetBuilder.fromTable(t.table(), spec.target(), classification, missing);
            } catch (InvalidSpecException e) {
                v.addAll(e.violations());
                return;
            }
            shape = Shape.vector(built.width());
            kind = built.target() instanceof Target.Classes c ? TargetKind.classes(c.column(), c.classNames())
                    : TargetKind.value(built.target().column());
        } else {
            var images = ((LoadedData.ImageData) data).images();
            shape = Shape.image(1, images.rows(), images.cols());
            kind = classification ? TargetKind.classes("label", train.classes()) : TargetKind.value("label");
        }
        v.addAll(NetworkBuilder.validate(spec.model(), shape, kind));
    }

    private void checkValidation(JobSpec.Validation val, DatasetRef train, List<Violation> v) {
        if (val.split() != null && val.datasetId() != null) {
            v.add(new Violation("validation", "both split and datasetId", "either split or datasetId"));
        } else if (val.split() != null) {
            double s = val.split();
            if (!(s > 0 && s < 1)) v.add(new Violation("validation.split", String.valueOf(s), "a fraction strictly between 0 and 1"));
        } else if (val.datasetId() != null) {
            sameFormat("validation.datasetId", datasets.get(val.datasetId(), "validation.datasetId"), train, v);
        } else {
            v.add(new Violation("validation", "{}", "{\"split\": 0.1} or {\"datasetId\": \"...\"}"));
        }
    }

    private void sameFormat(String field, DatasetRef other, DatasetRef train, List<Violation> v) {
        if (other.format() != train.format()) {
            v.add(new Violation(field, "a " + other.format() + " dataset", "a " + train.format() + " dataset like the training set"));
        }
    }

    /** The engine's own checks of the training values, with the metric names this run will produce. */
    private void checkTraining(JobSpec spec, List<Violation> v) {
        TrainingSpec t = spec.training() == null ? new TrainingSpec(null, null, null, null, null, null, null, null, null) : spec.training();
        String loss = spec.model() == null ? null : spec.model().loss();
        boolean classification = loss == null || loss.endsWith("crossentropy");
        boolean validation = spec.validation() != null;
        Set<String> metrics = new LinkedHashSet<>();
        metrics.add("loss");
        if (classification) metrics.add("accuracy");
        if (!classification) {
            metrics.add("mse");
            metrics.add("mae");
            metrics.add("binary_accuracy");
        }
        if (validation) for (String m : List.copyOf(metrics)) metrics.add("val_" + m);
        v.addAll(ResolvedTraining.of(t).violations(metrics));
    }

    private void checkBaseModel(JobSpec.BaseModel b, List<Violation> v) {
        if (b.modelId() == null) {
            v.add(new Violation("baseModel.modelId", "none", "the id of a trained model"));
            return;
        }
        if (b.version() == null || b.version() < 1) {
            v.add(new Violation("baseModel.version", String.valueOf(b.version()), "a version number >= 1"));
            return;
        }
        if (b.freezeLayers() != null && b.freezeLayers() < 0) {
            v.add(new Violation("baseModel.freezeLayers", String.valueOf(b.freezeLayers()), "an integer >= 0"));
        }
        if (!registry.hasVersion(b.modelId(), b.version())) {
            throw new NotFoundException("model version", b.modelId() + " v" + b.version(), "baseModel");
        }
    }

    private static String quoted(String s) {
        return s == null ? "none" : "\"" + s + "\"";
    }
}
