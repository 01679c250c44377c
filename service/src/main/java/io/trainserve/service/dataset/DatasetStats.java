package io.trainserve.service.dataset;

import io.trainserve.engine.DataTable;
import io.trainserve.engine.ImageData;
import io.trainserve.service.dataset.DatasetView.ColumnView;
import java.util.ArrayList;
import java.util.List;

/** Column statistics shown after upload: the engine's for tables, a label and a pixel column for images. */
final class DatasetStats {
    private DatasetStats() {
    }

    static List<ColumnView> of(DataTable table) {
        List<ColumnView> views = new ArrayList<>();
        for (DataTable.ColumnStats s : table.columnStats()) {
            views.add(new ColumnView(s.name(), s.type(), s.count(), s.missing(), s.min(), s.max(), s.mean(), s.std(),
                    s.distinctCount(), s.distinct()));
        }
        return views;
    }

    static List<ColumnView> of(ImageData images) {
        byte[] labels = images.labels();
        byte[] pixels = images.pixels();
        List<String> classes = images.classes();
        return List.of(column("label", labels, classes), column("pixels", pixels, List.of()));
    }

    /** Statistics of unsigned bytes, via a histogram (one pass, no boxing). */
    private static ColumnView column(String name, byte[] values, List<String> listed) {
        long[] histogram = new long[256];
        for (byte b : values) histogram[b & 0xFF]++;
        long n = values.length;
        double sum = 0;
        double sumSq = 0;
        int min = -1;
        int max = -1;
        int distinct = 0;
        for (int v = 0; v < 256; v++) {
            long c = histogram[v];
            if (c == 0) continue;
            if (min < 0) min = v;
            max = v;
            distinct++;
            sum += (double) c * v;
            sumSq += (double) c * v * v;
        }
        Double mean = n == 0 ? null : sum / n;
        Double std = n == 0 ? null : Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        return new ColumnView(name, "NUMERIC", n, 0, n == 0 ? null : (double) min, n == 0 ? null : (double) max,
                mean, std, distinct, listed);
    }
}
