package io.trainserve.engine.data;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * Reads a comma-separated file with a header row (UTF-8, optional BOM, optionally gzipped) into a
 * {@link Table}. Every row must have the header's field count. A column is NUMERIC when every present
 * value is a finite number; see {@link MissingValues} for what counts as missing.
 */
public final class CsvTableReader {
    private CsvTableReader() {}

    public static Table read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw RawInput.unchecked(file.toString(), e);
        }
    }

    public static Table read(InputStream in) {
        try {
            RawInput raw = RawInput.open(in);
            Parsed parsed = parse(skipBom(raw.content()));
            return new Table(parsed.names, parsed.columns, parsed.fileRows, raw.finishSha256());
        } catch (ZipException | EOFException e) {
            throw corruptGzip(e);
        } catch (IOException e) {
            throw RawInput.unchecked("the CSV data", e);
        }
    }

    private record Parsed(List<String> names, List<Column> columns, int[] fileRows) {}

    private static Parsed parse(InputStream content) {
        CsvReader<CsvRecord> csv = CsvReader.builder()
                .allowExtraFields(true)   // we check field counts ourselves, to say which row and how many
                .allowMissingFields(true)
                .skipEmptyLines(true)
                .ofCsvRecord(new InputStreamReader(content, StandardCharsets.UTF_8));
        // Not closed here: the caller owns the stream, and the checksum still has to read its tail.
        try {
            Iterator<CsvRecord> records = csv.iterator();
            if (!records.hasNext()) {
                throw new DataFormatException("the file is empty", 1, null, "a header row", "an empty file");
            }
            List<String> names = header(records.next());
            ColumnBuilder[] builders = new ColumnBuilder[names.size()];
            for (int c = 0; c < builders.length; c++) builders[c] = new ColumnBuilder();
            int[] fileRows = new int[1024];
            int rows = 0;
            while (records.hasNext()) {
                CsvRecord record = records.next();
                long row = record.getStartingLineNumber();
                if (record.getFieldCount() != builders.length) {
                    throw new DataFormatException(row, null, builders.length + " fields", String.valueOf(record.getFieldCount()));
                }
                for (int c = 0; c < builders.length; c++) builders[c].add(record.getField(c));
                if (rows == fileRows.length) fileRows = Arrays.copyOf(fileRows, rows * 2);
                fileRows[rows++] = (int) row;
            }
            if (rows == 0) {
                throw new DataFormatException("no data rows: the file has a header but no rows below it", 2, null, "a data row", "end of file");
            }
            List<Column> columns = new ArrayList<>(builders.length);
            for (ColumnBuilder b : builders) columns.add(b.build());
            return new Parsed(names, columns, Arrays.copyOf(fileRows, rows));
        } catch (CsvParseException e) {
            String detail = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new DataFormatException("the CSV is malformed: " + detail, -1, null, "well-formed CSV", detail);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ZipException || e.getCause() instanceof EOFException) throw corruptGzip(e.getCause());
            throw e;
        }
    }

    private static DataFormatException corruptGzip(Throwable cause) {
        return new DataFormatException("the file looks gzipped but its data is corrupt or truncated ("
                + cause.getMessage() + ")", -1, null, "valid gzip data", "corrupt data");
    }

    private static List<String> header(CsvRecord record) {
        List<String> names = new ArrayList<>(record.getFieldCount());
        Map<String, Integer> seen = new HashMap<>();
        for (int c = 0; c < record.getFieldCount(); c++) {
            String name = record.getField(c).trim();
            String position = String.valueOf(c + 1);
            if (name.isEmpty()) {
                throw new DataFormatException("row 1, column " + position + ": expected a column name, found an empty header field",
                        1, position, "a column name", "an empty header field");
            }
            Integer earlier = seen.putIfAbsent(name, c + 1);
            if (earlier != null) {
                throw new DataFormatException("row 1, column " + position + ": column name '" + name
                        + "' is used twice (also column " + earlier + "); column names must be unique",
                        1, position, "a unique column name", "'" + name + "' again");
            }
            names.add(name);
        }
        return names;
    }

    /** Drops a UTF-8 byte order mark (EF BB BF), which spreadsheet exports often write. */
    private static InputStream skipBom(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in);
        buffered.mark(3);
        byte[] head = buffered.readNBytes(3);
        boolean bom = head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF;
        if (!bom) buffered.reset();
        return buffered;
    }
}
