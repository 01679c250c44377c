package io.trainserve.service.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Hashes what passes through and compares it with the expected SHA-256 at end of stream, or on close
 * after draining what the caller left unread: corruption is never silent.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final String key;
    private final String expected;
    private final MessageDigest digest;
    private boolean verified;

    VerifyingInputStream(String key, String expected, InputStream in) {
        this(key, expected, in, Sha256.digest());
    }

    private VerifyingInputStream(String key, String expected, InputStream in, MessageDigest digest) {
        super(new DigestInputStream(in, digest));
        this.key = key;
        this.expected = expected;
        this.digest = digest;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) verify();
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) verify();
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) return 0;
        byte[] buf = new byte[(int) Math.min(n, 8192)]; // skipped bytes must still be hashed
        int r = read(buf, 0, buf.length);
        return r < 0 ? 0 : r;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        try {
            if (!verified) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                verify();
            }
        } finally {
            super.close();
        }
    }

    private void verify() {
        if (verified) return;
        verified = true;
        String actual = Sha256.hex(digest);
        if (!actual.equalsIgnoreCase(expected)) throw new CorruptBlobException(key, expected, actual);
    }
}
