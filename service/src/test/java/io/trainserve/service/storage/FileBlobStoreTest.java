package io.trainserve.service.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The filesystem adapter against the blob store contract. */
class FileBlobStoreTest extends BlobStoreContract {
    private Path root;

    @Override
    BlobStore newStore(Path tmp) {
        root = tmp.resolve("data");
        return new FileBlobStore(root, root.resolve("tmp"));
    }

    @Override
    void damage(String key) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(root.resolve(key).toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
    }

    @Override
    List<String> forkedStoreArgs() {
        return List.of("fs", tmp.resolve("forked").toString());
    }

    @Test
    void aFileFromBeforeChecksumsGetsOneOnFirstReadAndIsCheckedFromThenOn() throws Exception {
        Path legacy = root.resolve("bundles/old/v1.zip");
        Files.createDirectories(legacy.getParent());
        Files.write(legacy, new byte[]{1, 2, 3});

        try (InputStream in = store.open("bundles/old/v1.zip")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
        assertThat(root.resolve("bundles/old/v1.zip" + FileBlobStore.SIDECAR)).exists();
        assertThat(store.stat("bundles/old/v1.zip").orElseThrow().size()).isEqualTo(3);
    }
}
