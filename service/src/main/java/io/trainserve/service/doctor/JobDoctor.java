package io.trainserve.service.doctor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trainserve.engine.Dataset;
import io.trainserve.engine.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link Doctor} on finished jobs and counts its findings for Prometheus
 * ({@code trainserve_diagnoses_total{code}}); also measures the data facts an examination needs.
 */
@Component
public class JobDoctor {
    private final MeterRegistry registry;

    JobDoctor(MeterRegistry registry) {
        this.registry = registry;
    }

    public List<Diagnosis> examine(Examination x) {
        List<Diagnosis> found = Doctor.diagnose(x);
        for (Diagnosis d : found) {
            Counter.builder("trainserve.diagnoses").description("Training doctor findings on finished jobs, by code")
                    .tag("code", d.code()).register(registry).increment();
        }
        return found;
    }

    /** Mean, std, min and max of every (expanded) input column over the rows; none for images' pixels beyond one summary. */
    public static List<Examination.Feature> features(Dataset d) {
        int width = d.width();
        int rows = d.size();
        if (rows == 0 || width == 0) return List.of();
        float[] x = d.features();
        if (d.inputSchema().isImage()) return List.of(feature("pixels", x, 0, 1, x.length));
        List<String> names = d.inputSchema().expandedNames();
        List<Examination.Feature> out = new ArrayList<>(width);
        for (int c = 0; c < width; c++) {
            out.add(feature(c < names.size() ? names.get(c) : "feature " + c, x, c, width, rows));
        }
        return out;
    }

    private static Examination.Feature feature(String name, float[] x, int offset, int stride, int count) {
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0, at = offset; i < count; i++, at += stride) {
            double v = x[at];
            sum += v;
            sumSq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / count;
        return new Examination.Feature(name, mean, Math.sqrt(Math.max(0, sumSq / count - mean * mean)), min, max);
    }

    /** Rows per class name, in class order; empty for a real-valued target. */
    public static Map<String, Long> classCounts(Dataset d) {
        if (!(d.target() instanceof Target.Classes c)) return Map.of();
        long[] counts = new long[c.classNames().size()];
        for (int i : c.indices()) if (i >= 0 && i < counts.length) counts[i]++;
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) out.put(c.classNames().get(i), counts[i]);
        return out;
    }
}
