package io.trainserve.service.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** The data directory and its fixed sub-directories, created on startup. */
@Component
public class DataDir {
    private final Path root;

    @org.springframework.beans.factory.annotation.Autowired
    DataDir(TrainserveProperties properties) {
        this(properties.dataDir());
    }

    public DataDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
        for (Path dir : new Path[]{this.root, datasets(), checkpoints(), bundles(), tmp()}) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create data directory " + dir, e);
            }
        }
    }

    public Path root() { return root; }

    public Path datasets() { return root.resolve("datasets"); }

    public Path checkpoints() { return root.resolve("checkpoints"); }

    public Path bundles() { return root.resolve("bundles"); }

    /** Uploads land here first and are moved into place once they parse. */
    public Path tmp() { return root.resolve("tmp"); }
}
