package io.trainserve.engine.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * A file as uploaded: hashed byte for byte while it streams (the checksum names the file the user
 * sent, compressed or not) and gunzipped transparently when it starts with the gzip magic 1f 8b.
 */
final class RawInput {
    private static final int BUFFER = 1 << 16;

    private final DigestInputStream hashed;
    private final InputStream content;

    private RawInput(DigestInputStream hashed, InputStream content) {
        this.hashed = hashed;
        this.content = content;
    }

    static RawInput open(InputStream in) throws IOException {
        DigestInputStream hashed = new DigestInputStream(in, sha256());
        BufferedInputStream buffered = new BufferedInputStream(hashed, BUFFER);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        InputStream content = first == 0x1f && second == 0x8b ? new GZIPInputStream(buffered, BUFFER) : buffered;
        return new RawInput(hashed, content);
    }

    /** The decompressed bytes. */
    InputStream content() {
        return content;
    }

    /** Hex SHA-256 of every raw byte; reads what the parser left unread so the hash covers the whole file. */
    String finishSha256() throws IOException {
        hashed.transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(hashed.getMessageDigest().digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static UncheckedIOException unchecked(String what, IOException e) {
        return new UncheckedIOException("could not read " + what + ": " + e.getMessage(), e);
    }
}
