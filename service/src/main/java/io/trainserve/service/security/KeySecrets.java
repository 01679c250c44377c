package io.trainserve.service.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Key secrets: {@code ts_} + 256 random bits (base64url), stored only as their SHA-256. A fast hash is the
 * right one here: a 256-bit random secret cannot be guessed or brute-forced from its hash, so a slow
 * password hash (bcrypt) would only cost each request milliseconds.
 */
final class KeySecrets {
    static final String PREFIX = "ts_";
    /** Shortest secret TRAINSERVE_ADMIN_KEY may set. */
    static final int MIN_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeySecrets() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
