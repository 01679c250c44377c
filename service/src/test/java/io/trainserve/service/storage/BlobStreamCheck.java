package io.trainserve.service.storage;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.util.Random;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Run in a JVM with a small heap by {@link BlobStoreContract}: writes a generated blob of the given size
 * through an adapter, reads it back and compares checksums. Prints {@code OK <size>} on success.
 * Arguments: size, then {@code fs <root>} or {@code pg <url> <user> <password>}.
 */
public final class BlobStreamCheck {
    private BlobStreamCheck() {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[0]);
        BlobStore store;
        if (args[1].equals("fs")) {
            store = new FileBlobStore(Path.of(args[2]), Path.of(args[2]).resolve("tmp"));
        } else {
            DriverManagerDataSource ds = new DriverManagerDataSource(args[2], args[3], args.length > 4 ? args[4] : "");
            store = new PostgresBlobStore(new JdbcTemplate(ds), new DataSourceTransactionManager(ds));
        }
        var written = Sha256.digest();
        BlobInfo info = store.write("datasets/big/data.csv", out -> {
            Random random = new Random(42);
            byte[] block = new byte[64 * 1024];
            try (OutputStream hashed = new DigestOutputStream(OutputStream.nullOutputStream(), written)) {
                for (long left = size; left > 0; left -= block.length) {
                    random.nextBytes(block);
                    int n = (int) Math.min(block.length, left);
                    out.write(block, 0, n);
                    hashed.write(block, 0, n);
                }
            }
        });
        String expected = Sha256.hex(written);
        if (!info.sha256().equals(expected) || info.size() != size) throw new AssertionError("write recorded " + info);
        var read = Sha256.digest();
        long total = 0;
        try (InputStream in = store.open("datasets/big/data.csv")) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                read.update(buf, 0, n);
                total += n;
            }
        }
        if (total != size || !Sha256.hex(read).equals(expected)) throw new AssertionError("read " + total + " bytes, other checksum");
        System.out.println("OK " + total + " (max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)");
    }
}
