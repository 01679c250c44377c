package io.trainserve.service.registry;

import java.util.regex.Pattern;

/** What a model id may look like (the same rule as a job's {@code modelId}). */
final class ModelIds {
    static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    static final String ALLOWED = "1-100 characters of letters, digits, '.', '_', '-', starting with a letter or digit";

    private ModelIds() {
    }
}
