package io.trainserve.engine.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The job spec's closed vocabularies (losses, activations, optimizers, ...) are enums whose constants
 * carry their JSON name. The JSON stays plain lower_snake strings; this turns a string into a
 * constant and lists what is allowed, always from the type itself.
 */
public final class Vocabulary {
    /** A constant with its JSON spelling, e.g. {@code "sparse_categorical_crossentropy"}. */
    public interface Word {
        String wire();
    }

    private Vocabulary() {
    }

    public static <E extends Enum<E> & Word> Optional<E> parse(Class<E> type, String wire) {
        if (wire == null) return Optional.empty();
        for (E e : type.getEnumConstants()) if (e.wire().equals(wire)) return Optional.of(e);
        return Optional.empty();
    }

    public static <E extends Enum<E> & Word> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Word::wire).toList();
    }

    /** The allowed values as a violation's "allowed" text: {@code "a, b, c"}. */
    public static <E extends Enum<E> & Word> String allowed(Class<E> type) {
        return String.join(", ", names(type));
    }

    /** A violation when {@code wire} is set but not a word of {@code type}; null when it is fine (or unset). */
    public static <E extends Enum<E> & Word> Violation unknown(Class<E> type, String field, String wire) {
        return wire != null && parse(type, wire).isEmpty() ? new Violation(field, wire, allowed(type)) : null;
    }
}
