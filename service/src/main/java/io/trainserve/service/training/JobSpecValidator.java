package io.trainserve.service.training;

import io.trainserve.engine.Model;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.Violation;
import io.trainserve.service.dataset.DatasetCatalog;
import io.trainserve.service.dataset.DatasetRef;
import io.trainserve.service.dataset.Format;
import io.trainserve.service.registry.ModelRegistry;
import io.trainserve.service.system.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks a job spec before it is queued, so that a bad spec is a 400 naming every wrong field now
 * rather than a FAILED job later. Only the service's own concerns are checked here (the model id,
 * that datasets and the base model exist, that validation and test sets are in the training set's
 * format); everything else is the engine's one check, {@link Trainer#check}, run against the
 * training set's description from the catalog (the data file is not read).
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
        Model base = spec.baseModel() == null ? null : baseModel(spec.baseModel(), v);
        v.addAll(EngineTerms.selectionTwice(spec));
        if (spec.baseModel() == null || base != null) {
            v.addAll(EngineTerms.jsonPaths(spec, Trainer.check(EngineTerms.plan(spec, base), datasets.description(train), spec.target())));
        }
        if (!v.isEmpty()) throw new InvalidSpecException(v);
    }

    private void checkValidation(JobSpec.Validation val, DatasetRef train, List<Violation> v) {
        if (val.split() != null && val.datasetId() != null) {
            v.add(new Violation("validation", "both split and datasetId", "either split or datasetId"));
        } else if (val.datasetId() != null) {
            sameFormat("validation.datasetId", datasets.get(val.datasetId(), "validation.datasetId"), train, v);
        } else if (val.split() == null) {
            v.add(new Violation("validation", "{}", "{\"split\": 0.1} or {\"datasetId\": \"...\"}"));
        }
    }

    private void sameFormat(String field, DatasetRef other, DatasetRef train, List<Violation> v) {
        if (other.format() != train.format()) {
            v.add(new Violation(field, "a " + other.format() + " dataset", "a " + train.format() + " dataset like the training set"));
        } else if (other.format() == Format.IMAGES && !other.shape().subList(1, 4).equals(train.shape().subList(1, 4))) {
            // each zip is resized on upload: both must have been given the same channels and imageSize
            v.add(new Violation(field, "images of shape " + other.shape().subList(1, 4) + " [C, H, W]",
                    "images of the training set's shape " + train.shape().subList(1, 4) + " (upload it with that imageSize)"));
        }
    }

    /** The base model to start from, or null (with a violation) when its id or version is missing; 404 when it does not exist. */
    private Model baseModel(JobSpec.BaseModel b, List<Violation> v) {
        if (b.modelId() == null) {
            v.add(new Violation("baseModel.modelId", "none", "the id of a trained model"));
            return null;
        }
        if (b.version() == null || b.version() < 1) {
            v.add(new Violation("baseModel.version", String.valueOf(b.version()), "a version number >= 1"));
            return null;
        }
        if (!registry.hasVersion(b.modelId(), b.version())) {
            throw new NotFoundException("model version", b.modelId() + " v" + b.version(), "baseModel");
        }
        return registry.load(b.modelId(), b.version());
    }

    private static String quoted(String s) {
        return s == null ? "none" : "\"" + s + "\"";
    }
}
