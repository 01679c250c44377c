package io.trainserve.service.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Counts and hashes (SHA-256) the bytes written through it: what every blob write records, in either store. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha = Sha256.digest();
    private long size;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha.update((byte) b);
        size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha.update(b, off, len);
        size += len;
    }

    long size() {
        return size;
    }

    /** The hex SHA-256 of everything written; call once, when done. */
    String sha256() {
        return Sha256.hex(sha);
    }
}
