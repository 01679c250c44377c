package io.trainserve.service.dataset;

import io.trainserve.engine.ImageFolderLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param cacheSize       parsed datasets kept in memory (an MNIST training set is ~50 MB parsed)
 * @param maxPreviewRows  upper bound of {@code GET /datasets/{id}/preview?limit=}
 * @param zipMaxEntries   entries a zip of image folders may list
 * @param zipMaxBytes     bytes its entries may inflate to, all together (counted while reading, headers are not trusted)
 * @param imageMaxPixels  width x height of any one image in such a zip, checked before it is decoded
 */
@ConfigurationProperties("trainserve.datasets")
record DatasetProperties(@DefaultValue("3") int cacheSize, @DefaultValue("1000") int maxPreviewRows,
                         @DefaultValue("100000") int zipMaxEntries, @DefaultValue("1GB") DataSize zipMaxBytes,
                         @DefaultValue("25000000") long imageMaxPixels) {

    ImageFolderLimits imageLimits() {
        return new ImageFolderLimits(zipMaxEntries, zipMaxBytes.toBytes(), imageMaxPixels);
    }
}
