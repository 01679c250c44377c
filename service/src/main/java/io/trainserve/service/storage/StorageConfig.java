package io.trainserve.service.storage;

import io.trainserve.service.system.DataDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Chooses the blob store adapter ({@code trainserve.storage.type}) and this instance's read-through cache. */
@Configuration(proxyBeanMethods = false)
class StorageConfig {

    @Bean
    BlobStore blobStore(StorageProperties properties, DataDir dataDir, ObjectProvider<JdbcTemplate> jdbc,
                        ObjectProvider<PlatformTransactionManager> transactions) {
        return switch (properties.type()) {
            case FILESYSTEM -> new FileBlobStore(dataDir.root(), dataDir.tmp());
            case POSTGRES -> new PostgresBlobStore(jdbc.getObject(), transactions.getObject());
        };
    }

    @Bean
    BlobCache blobCache(BlobStore store, DataDir dataDir, StorageProperties properties) {
        return new BlobCache(store, dataDir.root().resolve("cache"), dataDir.tmp(), properties.cacheSize().toBytes());
    }
}
