package io.trainserve.engine.backend;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.ImageData;
import io.trainserve.engine.Target;
import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.engine.data.Descriptions;
import io.trainserve.engine.data.ImageSet;

/** {@link ImageData} backed by the IDX reader's {@link ImageSet}. */
record ImageFile(ImageSet images) implements ImageData {
    @Override
    public int count() {
        return images.count();
    }

    @Override
    public int rows() {
        return images.rows();
    }

    @Override
    public int cols() {
        return images.cols();
    }

    @Override
    public byte[] pixels() {
        return images.pixels();
    }

    @Override
    public byte[] labels() {
        return images.labels();
    }

    @Override
    public String sha256() {
        return images.sha256();
    }

    @Override
    public DatasetDescription describe() {
        return Descriptions.of(images);
    }

    @Override
    public Dataset dataset() {
        return DatasetBuilder.fromImages(images);
    }

    @Override
    public Dataset dataset(Target.Classes trainTarget) {
        return DatasetBuilder.fromImages(images, trainTarget);
    }
}
