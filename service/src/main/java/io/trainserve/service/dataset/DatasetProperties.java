package io.trainserve.service.dataset;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param cacheSize       parsed datasets kept in memory (an MNIST training set is ~50 MB parsed)
 * @param maxPreviewRows  upper bound of {@code GET /datasets/{id}/preview?limit=}
 */
@ConfigurationProperties("trainserve.datasets")
record DatasetProperties(@DefaultValue("3") int cacheSize, @DefaultValue("1000") int maxPreviewRows) {
}
