package io.trainserve.engine.data;

/** Parsing and printing numbers the way users write them in data files. */
final class Numbers {
    private Numbers() {}

    /** The value as float32, or NaN if the text is not a finite number within float32 range. */
    static float parse(String text) {
        if (text.isEmpty() || !looksNumeric(text)) return Float.NaN;
        try {
            float f = Float.parseFloat(text);
            return Float.isFinite(f) ? f : Float.NaN;
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** Cheap pre-check so text columns do not pay for an exception per cell, and Java's "1d"/"0x1p3" are not numbers. */
    private static boolean looksNumeric(String text) {
        char last = text.charAt(text.length() - 1);
        if (!(last >= '0' && last <= '9') && last != '.') return false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return false;
        }
        return true;
    }

    /** Integers without ".0" (labels "0","1","2"), others as the shortest text that reads back the same float. */
    static String format(float value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        return Float.toString(value);
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        return Double.toString(value);
    }

    /** A double computed from float32 data, rounded to float32 precision so 1.1 shows as 1.1. */
    static double asDecimal(double value) {
        return Double.parseDouble(Float.toString((float) value));
    }
}
