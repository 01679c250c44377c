package io.trainserve.service.prediction;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.TokenIds;
import io.trainserve.engine.InputSchema.Feature;
import io.trainserve.engine.InvalidDataException;
import io.trainserve.service.registry.ServingCatalog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Predicts a CSV file row by row in blocks of {@value #BLOCK} rows, so any number of rows runs in bounded
 * memory: the header names the columns (any order; columns the model does not use are ignored, or copied
 * to the output when listed in {@code echo}). The answer (CSV: label, classIndex, one {@code prob_<class>}
 * column per class, or value; or JSON lines) is spooled to a temporary file and sent only when every row
 * encoded, so a bad cell anywhere is a clean problem naming its row (header = row 1) and column.
 */
final class CsvPredictions {
    static final int BLOCK = 1024;

    enum Format { CSV, NDJSON }

    private final JsonMapper json;
    private final Predictor predictor;
    private final Path tmpDir;

    CsvPredictions(JsonMapper json, Predictor predictor, Path tmpDir) {
        this.json = json;
        this.predictor = predictor;
        this.tmpDir = tmpDir;
    }

    /** Reads {@code body}, writes the answer into a new temporary file and returns it (the caller deletes it). */
    Predictor.Served<Path> predict(ServingCatalog.Resolved r, InputStream body, Format format, List<String> echo) {
        Path out = null;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().allowExtraFields(true).allowMissingFields(true).skipEmptyLines(true)
                .ofCsvRecord(body, StandardCharsets.UTF_8)) {
            out = Files.createTempFile(tmpDir, "predict", format == Format.CSV ? ".csv" : ".ndjson");
            long rows;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                rows = new Run(r, csv.iterator(), format, echo, file).all();
            }
            return new Predictor.Served<>(out, rows);
        } catch (IOException e) {
            delete(out);
            throw new UncheckedIOException(e);
        } catch (CsvParseException e) {
            delete(out);
            throw new InvalidDataException("the body is not readable CSV: " + e.getMessage(), -1, null, "CSV with a header row", "unreadable CSV");
        } catch (RuntimeException e) {
            delete(out);
            throw e;
        }
    }

    static void delete(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file; the data directory's tmp is cleaned with it
        }
    }

    /** One file's pass: header mapping, then blocks of rows. */
    private final class Run {
        final ServingCatalog.Resolved r;
        final InputSchema schema;
        final Iterator<CsvRecord> records;
        final Format format;
        final OutputStream out;
        final int[] columnOf;
        final int[] echoColumns;
        final List<String> echo;
        final int width;
        Writer text;
        CsvWriter csvOut;
        JsonGenerator ndjson;

        Run(ServingCatalog.Resolved r, Iterator<CsvRecord> records, Format format, List<String> echo, OutputStream out) {
            this.r = r;
            this.schema = r.model().inputSchema();
            this.records = records;
            this.format = format;
            this.echo = echo;
            this.out = out;
            this.width = schema.width();
            if (schema.isImage()) {
                throw new InvalidDataException("this model takes images: send them as multipart parts 'file' or as JSON instances",
                        1, null, "a tabular model", "an image model");
            }
            if (!records.hasNext()) throw new InvalidDataException(1, null, "a header row with the columns " + InstanceEncoding.names(schema), "an empty file");
            List<String> header = records.next().getFields().stream().map(String::strip).toList();
            List<Feature> features = schema.features();
            columnOf = new int[features.size()];
            for (int k = 0; k < features.size(); k++) {
                columnOf[k] = header.indexOf(features.get(k).name());
                if (columnOf[k] < 0) {
                    throw new InvalidDataException(1, features.get(k).name(), "a column named '" + features.get(k).name()
                            + "' (the model's features are " + InstanceEncoding.names(schema) + ")", "the columns " + header);
                }
            }
            echoColumns = new int[echo.size()];
            for (int k = 0; k < echo.size(); k++) {
                echoColumns[k] = header.indexOf(echo.get(k));
                if (echoColumns[k] < 0) throw new InvalidDataException(1, echo.get(k), "a column to echo, one of " + header, "no such column");
            }
        }

        long all() throws IOException {
            float[] block = new float[BLOCK * width];
            String[][] echoed = new String[BLOCK][];
            long total = 0;
            start();
            while (records.hasNext()) {
                int n = 0;
                Arrays.fill(block, 0f);
                while (n < BLOCK && records.hasNext()) {
                    CsvRecord rec = records.next();
                    encode(rec, block, n * width);
                    echoed[n] = echoValues(rec);
                    n++;
                }
                float[] rows = n == BLOCK ? block : Arrays.copyOf(block, n * width);
                Outputs o = new Outputs(r.model(), rows, predictor.outputs(r, rows, n), n);
                for (int i = 0; i < n; i++) write(o, i, echoed[i]);
                total += n;
            }
            finish();
            return total;
        }

        private void encode(CsvRecord rec, float[] block, int base) {
            List<Feature> features = schema.features();
            for (int k = 0, off = 0; k < features.size(); k++) {
                Feature f = features.get(k);
                long row = rec.getStartingLineNumber();
                if (columnOf[k] >= rec.getFieldCount()) throw new InvalidDataException(row, f.name(), expected(f), "nothing (the row is short)");
                String cell = rec.getField(columnOf[k]).strip();
                // an empty cell is a missing value: imputed with the training split's fill, as a JSON null is
                if (cell.isEmpty() && f.fill() != null) cell = f.fill();
                if (f.kind() == InputSchema.Kind.NUMERIC) {
                    block[base + off] = number(cell, row, f);
                } else {
                    int c = f.categories().indexOf(cell);
                    if (c < 0) throw new InvalidDataException(row, f.name(), expected(f), "'" + cell + "'");
                    block[base + off + c] = 1f;
                }
                off += f.width();
            }
            TokenIds tokens = r.model().tokenIds();
            int bad = tokens == null ? -1 : tokens.firstInvalid(block, base, base + width, false);
            if (bad >= 0) {
                throw new InvalidDataException(rec.getStartingLineNumber(), features.get(bad - base).name(), tokens.allowed(),
                        "'" + rec.getField(columnOf[bad - base]).strip() + "'");
            }
        }

        private static float number(String cell, long row, Feature f) {
            try {
                float v = Float.parseFloat(cell);
                if (Float.isFinite(v)) return v;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidDataException(row, f.name(), expected(f), "'" + (cell.length() > 50 ? cell.substring(0, 50) + "…" : cell) + "'");
        }

        private static String expected(Feature f) {
            return f.kind() == InputSchema.Kind.NUMERIC ? "a finite number" : "one of " + f.categories();
        }

        private String[] echoValues(CsvRecord rec) {
            if (echoColumns.length == 0) return null;
            String[] v = new String[echoColumns.length];
            for (int k = 0; k < v.length; k++) v[k] = echoColumns[k] < rec.getFieldCount() ? rec.getField(echoColumns[k]) : "";
            return v;
        }

        private void start() {
            if (format == Format.NDJSON) {
                ndjson = json.createGenerator(out);
                return;
            }
            text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            csvOut = CsvWriter.builder().build(text);
            List<String> header = new ArrayList<>(echo);
            if (r.model().anomalyDetector() != null) {
                header.add("anomalyScore");
                header.add("anomaly");
            } else if (r.model().target() instanceof io.trainserve.engine.Target.Labels) {
                header.add("labels");
                r.model().classNames().forEach(c -> header.add("prob_" + c));
            } else if (r.model().target().classification()) {
                header.add("label");
                header.add("classIndex");
                r.model().classNames().forEach(c -> header.add("prob_" + c));
            } else {
                header.add("value");
            }
            csvOut.writeRecord(header);
        }

        private void write(Outputs o, int i, String[] echoed) {
            if (format == Format.NDJSON) {
                JsonPredictions.row(ndjson, o, i, JsonPredictions.Options.ALL, echo, echoed);
                ndjson.writeRaw('\n');
                return;
            }
            List<String> fields = new ArrayList<>(echo.size() + 2 + o.classes());
            if (echoed != null) fields.addAll(Arrays.asList(echoed));
            if (o.anomalyDetector()) {
                fields.add(Double.toString(o.anomalyScore(i)));
                fields.add(Boolean.toString(o.anomaly(i)));
            } else if (o.multiLabel()) { // the labels at or above 0.5, separated by ';', then each label's probability
                List<String> on = new ArrayList<>();
                for (int k = 0; k < o.classes(); k++) if (o.labelProbability(i, k) >= JsonPredictions.Options.ALL.threshold()) on.add(o.classNames().get(k));
                fields.add(String.join(";", on));
                for (int k = 0; k < o.classes(); k++) fields.add(Float.toString((float) o.labelProbability(i, k)));
            } else if (o.classification()) {
                int best = o.classIndex(i);
                fields.add(o.classNames().get(best));
                fields.add(Integer.toString(best));
                for (int k = 0; k < o.classes(); k++) fields.add(Float.toString((float) o.probability(i, k)));
            } else {
                fields.add(Double.toString(o.value(i)));
            }
            csvOut.writeRecord(fields);
        }

        private void finish() throws IOException {
            if (ndjson != null) ndjson.close();
            if (csvOut != null) csvOut.close();
        }
    }
}
