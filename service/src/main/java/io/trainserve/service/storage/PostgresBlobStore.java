package io.trainserve.service.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Blobs in PostgreSQL as rows of {@code bytea} chunks ({@code blob_chunks}, 1 MiB each) under a
 * {@code blobs} row holding the key, size and SHA-256. Writes stream chunk by chunk inside one
 * transaction under a fresh blob id, then point the key at it and drop the old chunks, so a reader sees
 * the old blob or the whole new one. Reads fetch one chunk at a time: memory use is one chunk, whatever
 * the blob's size. Every instance sharing the database sees every blob.
 */
public final class PostgresBlobStore implements BlobStore {
    static final int CHUNK = 1 << 20;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final int chunkSize;

    public PostgresBlobStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this(jdbc, transactions, CHUNK);
    }

    PostgresBlobStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, int chunkSize) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.chunkSize = chunkSize;
    }

    @Override
    public BlobInfo write(String key, BlobWriter writer) {
        Keys.check(key);
        return tx.execute(s -> {
            String id = UUID.randomUUID().toString();
            long size;
            String hex;
            try (ChunkOutputStream chunks = new ChunkOutputStream(id);
                 HashingOutputStream out = new HashingOutputStream(chunks)) {
                writer.write(out);
                out.flush();
                size = out.size();
                hex = out.sha256();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store blob " + key, e);
            }
            List<String> old = jdbc.queryForList("select blob_id from blobs where blob_key = ? for update", String.class, key);
            if (old.isEmpty()) {
                jdbc.update("insert into blobs (blob_key, blob_id, size_bytes, sha256, created_at) values (?, ?, ?, ?, ?)",
                        key, id, size, hex, Timestamp.from(Instant.now()));
            } else {
                jdbc.update("update blobs set blob_id = ?, size_bytes = ?, sha256 = ?, created_at = ? where blob_key = ?",
                        id, size, hex, Timestamp.from(Instant.now()), key);
                jdbc.update("delete from blob_chunks where blob_id = ?", old.get(0));
            }
            return new BlobInfo(key, size, hex);
        });
    }

    @Override
    public InputStream open(String key) {
        Row row = row(key).orElseThrow(() -> new BlobNotFoundException(key));
        return new VerifyingInputStream(key, row.sha256, new ChunkInputStream(row.id));
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return row(key).map(r -> new BlobInfo(key, r.size, r.sha256));
    }

    @Override
    public void delete(String key) {
        tx.executeWithoutResult(s -> {
            List<String> ids = jdbc.queryForList("select blob_id from blobs where blob_key = ? for update", String.class, Keys.check(key));
            for (String id : ids) {
                jdbc.update("delete from blob_chunks where blob_id = ?", id);
                jdbc.update("delete from blobs where blob_id = ?", id);
            }
        });
    }

    @Override
    public void deleteAll(String prefix) {
        String like = Keys.check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix)
                .replace("_", "\\_") + "/%";
        tx.executeWithoutResult(s -> {
            jdbc.update("delete from blob_chunks where blob_id in (select blob_id from blobs where blob_key like ?)", like);
            jdbc.update("delete from blobs where blob_key like ?", like);
        });
    }

    private record Row(String id, long size, String sha256) {
    }

    private Optional<Row> row(String key) {
        return jdbc.query("select blob_id, size_bytes, sha256 from blobs where blob_key = ?",
                (rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3)), Keys.check(key)).stream().findFirst();
    }

    /** Buffers one chunk and inserts it as a row when full (and the last, shorter one on close). */
    private final class ChunkOutputStream extends OutputStream {
        private final String id;
        private final byte[] buffer = new byte[chunkSize];
        private int filled;
        private int seq;

        ChunkOutputStream(String id) {
            this.id = id;
        }

        @Override
        public void write(int b) {
            if (filled == buffer.length) flushChunk();
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (filled == buffer.length) flushChunk();
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() {
            if (filled > 0) flushChunk();
        }

        private void flushChunk() {
            byte[] data = filled == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, filled);
            jdbc.update("insert into blob_chunks (blob_id, seq, data) values (?, ?, ?)", id, seq++, data);
            filled = 0;
        }
    }

    /** Reads the chunks of one blob in order, one query per chunk. */
    private final class ChunkInputStream extends InputStream {
        private final String id;
        private byte[] chunk = new byte[0];
        private int pos;
        private int seq;
        private boolean done;

        ChunkInputStream(String id) {
            this.id = id;
        }

        @Override
        public int read() {
            if (!fill()) return -1;
            return chunk[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean fill() {
            while (!done && pos == chunk.length) {
                List<byte[]> next = jdbc.query("select data from blob_chunks where blob_id = ? and seq = ?",
                        (rs, n) -> rs.getBytes(1), id, seq);
                if (next.isEmpty()) {
                    done = true;
                } else {
                    chunk = next.get(0);
                    pos = 0;
                    seq++;
                }
            }
            return pos < chunk.length;
        }
    }
}
