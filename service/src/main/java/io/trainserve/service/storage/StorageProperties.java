package io.trainserve.service.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param type      where blobs live: {@code filesystem} (under the data directory; the embedded default) or
 *                  {@code postgres} (in the database, so instances share no disk; the {@code postgres} profile's default)
 * @param cacheSize bound of this instance's local read-through copy of datasets and bundles kept in the database
 */
@ConfigurationProperties("trainserve.storage")
record StorageProperties(@DefaultValue("filesystem") Type type, @DefaultValue("2GB") DataSize cacheSize) {
    enum Type { FILESYSTEM, POSTGRES }
}
