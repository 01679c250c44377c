package io.trainserve.engine.data;

/** The spellings of "no value" found in the wild: empty, NA, N/A, NaN, null, ? (any case, trimmed). */
final class MissingValues {
    private MissingValues() {}

    static boolean isMissing(String trimmed) {
        return switch (trimmed.length()) {
            case 0 -> true;
            case 1 -> trimmed.equals("?");
            case 2 -> trimmed.equalsIgnoreCase("NA");
            case 3 -> trimmed.equalsIgnoreCase("N/A") || trimmed.equalsIgnoreCase("NaN");
            case 4 -> trimmed.equalsIgnoreCase("null");
            default -> false;
        };
    }
}
