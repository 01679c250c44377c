package io.trainserve.engine.backend;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.DatasetDescription;
import io.trainserve.engine.ImageData;
import io.trainserve.engine.Target;
import io.trainserve.engine.data.DatasetBuilder;
import io.trainserve.engine.data.Descriptions;
import io.trainserve.engine.data.IdxWriter;
import io.trainserve.engine.data.ImageSet;
import java.nio.file.Path;
import java.util.List;

/** {@link ImageData} backed by the readers' {@link ImageSet} (an IDX pair or a zip of class folders). */
record ImageFile(ImageSet images) implements ImageData {
    @Override
    public int count() {
        return images.count();
    }

    @Override
    public int channels() {
        return images.channels();
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
    public int size() {
        return images.size();
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
    public List<String> classNames() {
        return images.classNames();
    }

    @Override
    public String className(int i) {
        return images.className(i);
    }

    @Override
    public List<String> classes() {
        return images.classes();
    }

    @Override
    public List<Long> classCounts() {
        return images.classCounts();
    }

    @Override
    public ImageData withClassNames(List<String> names) {
        return new ImageFile(images.withClassNames(names));
    }

    @Override
    public void writeIdx(Path imageFile, Path labelFile) {
        IdxWriter.write(images, imageFile, labelFile);
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
