package io.trainserve.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link BlobStore} adapter must do; each adapter's test extends this class. Includes a
 * 100 MB blob written and read back in a separate JVM limited to a 48 MB heap, which fails if an adapter
 * ever holds a whole blob in memory.
 */
abstract class BlobStoreContract {
    @TempDir
    Path tmp;
    BlobStore store;

    /** A fresh, empty store of the adapter under test. */
    abstract BlobStore newStore(Path tmp);

    /** Changes one stored byte of {@code key} behind the store's back (disk or database damage). */
    abstract void damage(String key) throws Exception;

    /** Arguments of {@link BlobStreamCheck} (after the blob size) that open the same store in another JVM. */
    abstract List<String> forkedStoreArgs();

    @BeforeEach
    void open() {
        store = newStore(tmp);
    }

    @Test
    void putThenOpenReturnsTheBytesWithSizeAndChecksum() throws IOException {
        byte[] data = random(3 * 1024 * 1024 + 17, 1);
        BlobInfo info = store.put("datasets/a/data.csv", new ByteArrayInputStream(data));

        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.sha256()).isEqualTo(sha(data));
        assertThat(store.stat("datasets/a/data.csv")).contains(info);
        assertThat(store.exists("datasets/a/data.csv")).isTrue();
        try (InputStream in = store.open("datasets/a/data.csv")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void writeReplacesTheWholeBlob() throws IOException {
        store.write("checkpoints/j/checkpoint.zip", out -> out.write(random(2_500_000, 2)));
        byte[] second = "short".getBytes(StandardCharsets.UTF_8);
        BlobInfo info = store.write("checkpoints/j/checkpoint.zip", out -> out.write(second));

        assertThat(info.size()).isEqualTo(5);
        try (InputStream in = store.open("checkpoints/j/checkpoint.zip")) {
            assertThat(in.readAllBytes()).isEqualTo(second);
        }
    }

    @Test
    void anEmptyBlobIsABlob() throws IOException {
        BlobInfo info = store.put("bundles/m/v1.zip", InputStream.nullInputStream());
        assertThat(info.size()).isZero();
        try (InputStream in = store.open("bundles/m/v1.zip")) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void missingBlobsAreReportedAsSuch() {
        assertThat(store.stat("datasets/none/data.csv")).isEmpty();
        assertThat(store.exists("datasets/none/data.csv")).isFalse();
        assertThatThrownBy(() -> store.open("datasets/none/data.csv")).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void deleteAndDeleteAllRemoveOnlyWhatTheyName() {
        store.put("datasets/x/images.idx", new ByteArrayInputStream(new byte[]{1}));
        store.put("datasets/x/labels.idx", new ByteArrayInputStream(new byte[]{2}));
        store.put("datasets/x2/data.csv", new ByteArrayInputStream(new byte[]{3}));
        store.put("bundles/m/v1.zip", new ByteArrayInputStream(new byte[]{4}));

        store.delete("bundles/m/v1.zip");
        store.deleteAll("datasets/x/");

        assertThat(store.exists("bundles/m/v1.zip")).isFalse();
        assertThat(store.exists("datasets/x/images.idx")).isFalse();
        assertThat(store.exists("datasets/x/labels.idx")).isFalse();
        assertThat(store.exists("datasets/x2/data.csv")).as("a key that merely shares the prefix text").isTrue();
    }

    @Test
    void keysThatEscapeTheStoreAreRefused() {
        for (String bad : new String[]{"../etc/passwd", "/abs/path", "a/../../b", "a\u0000b", ""}) {
            assertThatThrownBy(() -> store.put(bad, InputStream.nullInputStream())).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aDamagedBlobIsDetectedWhenReadToTheEnd() throws Exception {
        store.put("datasets/c/data.csv", new ByteArrayInputStream(random(2_000_000, 3)));
        damage("datasets/c/data.csv");

        assertThatThrownBy(() -> {
            try (InputStream in = store.open("datasets/c/data.csv")) {
                in.readAllBytes();
            }
        }).isInstanceOf(CorruptBlobException.class).hasMessageContaining("datasets/c/data.csv");
    }

    @Test
    void aDamagedBlobIsDetectedOnCloseEvenWhenTheReaderStoppedEarly() throws Exception {
        store.put("bundles/c/v1.zip", new ByteArrayInputStream(random(100_000, 4)));
        damage("bundles/c/v1.zip");

        InputStream in = store.open("bundles/c/v1.zip");
        in.readNBytes(10);
        assertThatThrownBy(in::close).isInstanceOf(CorruptBlobException.class);
    }

    @Test
    void theCacheServesAVerifiedLocalCopyAndRefusesADamagedBlob() throws Exception {
        byte[] data = random(1_500_000, 5);
        store.put("datasets/k/data.csv", new ByteArrayInputStream(data));
        BlobCache cache = new BlobCache(store, tmp.resolve("cache"), tmp.resolve("cache-tmp"), 10_000_000);

        Path local = cache.local("datasets/k/data.csv");
        assertThat(Files.readAllBytes(local)).isEqualTo(data);
        assertThat(cache.local("datasets/k/data.csv")).as("second read: same local file").isEqualTo(local);

        damage("datasets/k/data.csv");
        Files.deleteIfExists(tmp.resolve("cache").resolve(sha(data))); // a fresh instance has no copy yet
        assertThatThrownBy(() -> cache.local("datasets/k/data.csv")).isInstanceOf(CorruptBlobException.class);
    }

    @Test
    void theCacheStaysWithinItsBound() throws Exception {
        BlobCache cache = new BlobCache(store, tmp.resolve("cache"), tmp.resolve("cache-tmp"), 2_500_000);
        for (int i = 0; i < 4; i++) {
            store.put("bundles/b/v" + i + ".zip", new ByteArrayInputStream(random(1_000_000, 10 + i)));
            assertThat(cache.open("bundles/b/v" + i + ".zip").readAllBytes()).hasSize(1_000_000);
        }
        long cached;
        try (var files = Files.list(tmp.resolve("cache"))) {
            cached = files.mapToLong(p -> p.toFile().length()).sum();
        }
        if (!(store instanceof FileBlobStore)) assertThat(cached).isBetween(1_000_000L, 2_500_000L);
        else assertThat(cached).as("the filesystem adapter's own files are used, nothing copied").isZero();
    }

    @Test
    void aHundredMegabyteBlobStreamsThroughA48MegabyteHeap() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-cp", System.getProperty("java.class.path"), BlobStreamCheck.class.getName(), String.valueOf(100L << 20)));
        command.addAll(forkedStoreArgs());
        Path log = tmp.resolve("fork.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(240, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        String output = Files.readString(log);
        assertThat(ended).as("forked JVM ended: %s", output).isTrue();
        assertThat(p.exitValue()).as("forked JVM (-Xmx48m) wrote and read back 100 MB: %s", output).isZero();
        assertThat(output).contains("OK 104857600");
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha(byte[] data) {
        var d = Sha256.digest();
        d.update(data);
        return Sha256.hex(d);
    }
}
