package io.trainserve.service.dataset;

import io.trainserve.engine.ImageFolderLimits;
import io.trainserve.service.system.BadRequestException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The form field {@code imageSize}: {@code 28} (square) or {@code HEIGHTxWIDTH} ({@code 28x32}); absent means the default. */
record ImageSize(int height, int width) {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,4})(?:[xX](\\d{1,4}))?");
    static final ImageSize DEFAULT = new ImageSize(0, 0);

    static ImageSize parse(String text) {
        if (text == null || text.isBlank()) return DEFAULT;
        Matcher m = SIZE.matcher(text.trim());
        int max = ImageFolderLimits.MAX_SIDE;
        if (m.matches()) {
            int height = Integer.parseInt(m.group(1));
            int width = m.group(2) == null ? height : Integer.parseInt(m.group(2));
            if (height >= 1 && width >= 1 && height <= max && width <= max) return new ImageSize(height, width);
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        throw new BadRequestException("imageSize", "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"",
                "a side of 1.." + max + " pixels (e.g. 28) or HEIGHTxWIDTH (e.g. 28x28); absent: the most common size, at most "
                        + ImageFolderLimits.DEFAULT_CAP + " on its longer side");
    }
}
