package io.trainserve.service.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Up when the data directory (datasets, checkpoints, bundles) can be written; part of readiness. */
@Component("dataDirectoryHealthIndicator")
class DataDirHealthIndicator implements HealthIndicator {
    private final DataDir dataDir;

    DataDirHealthIndicator(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public Health health() {
        try {
            Path probe = Files.createTempFile(dataDir.tmp(), "health", ".probe");
            Files.delete(probe);
            return Health.up().withDetail("path", dataDir.root().toString())
                    .withDetail("usableBytes", Files.getFileStore(dataDir.root()).getUsableSpace()).build();
        } catch (IOException | RuntimeException e) {
            return Health.down().withDetail("path", dataDir.root().toString()).withDetail("error", e.getMessage()).build();
        }
    }
}
