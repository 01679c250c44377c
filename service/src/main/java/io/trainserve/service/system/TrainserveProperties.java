package io.trainserve.service.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param dataDir holds the H2 database file and every blob: datasets, checkpoints, bundles
 *                (env {@code TRAINSERVE_DATA_DIR}, default {@code ./data})
 */
@ConfigurationProperties("trainserve")
public record TrainserveProperties(@DefaultValue("./data") Path dataDir) {
}
