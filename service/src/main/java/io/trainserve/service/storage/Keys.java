package io.trainserve.service.storage;

import java.util.regex.Pattern;

/** Blob keys: relative, slash-separated names of safe characters, never {@code ..} or absolute. */
final class Keys {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");

    private Keys() {
    }

    static String check(String key) {
        if (key == null || key.length() > 500 || !KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("not a blob key: '" + key + "'");
        }
        return key;
    }
}
