package io.trainserve.engine.data;

import static io.trainserve.engine.data.TestFiles.SOFTMAX_CSV;
import static io.trainserve.engine.data.TestFiles.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableReaderTest {
    @TempDir Path dir;

    @Test
    void readsTheSoftmaxSeedAsNumericColumns() {
        Table t = csv(dir, SOFTMAX_CSV);
        assertThat(t.columnNames()).containsExactly("x1", "x2", "x3", "x4", "y");
        assertThat(t.rowCount()).isEqualTo(8);
        for (int c = 0; c < 5; c++) assertThat(t.type(c)).isEqualTo(ColumnType.NUMERIC);
        assertThat(t.numeric(4)).containsExactly(2, 2, 2, 1, 1, 1, 0, 0);
        assertThat(t.text(1)).containsExactly("2", "1", "1", "1", "7", "2", "6", "7");
        assertThat(t.fileRow(0)).isEqualTo(2);
    }

    @Test
    void schemaStatisticsAreExact() {
        Table t = csv(dir, """
                a,b,c
                1,red,0.5
                2,blue,
                3,red,1.5
                NA,green,2.5
                """);
        List<ColumnStats> s = t.schema();
        assertThat(s.get(0)).isEqualTo(new ColumnStats("a", ColumnType.NUMERIC, 3, 1, 1.0, 3.0, 2.0,
                0.8164966 /* sqrt(2/3) at float32 precision */, 3, List.of("1", "2", "3")));
        assertThat(s.get(1)).isEqualTo(new ColumnStats("b", ColumnType.STRING, 4, 0, null, null, null, null,
                3, List.of("blue", "green", "red")));
        ColumnStats c = s.get(2);
        assertThat(c.min()).isEqualTo(0.5);
        assertThat(c.max()).isEqualTo(2.5);
        assertThat(c.mean()).isEqualTo(1.5);
        assertThat(c.missing()).isEqualTo(1);
        assertThat(c.distinct()).containsExactly("0.5", "1.5", "2.5");
    }

    @Test
    void numericDistinctValuesAreListedOnlyUpToTwenty() {
        StringBuilder few = new StringBuilder("x\n");
        for (int i = 0; i < 20; i++) few.append(i).append('\n');
        assertThat(csv(dir, few.toString()).schema().get(0).distinct()).hasSize(20);
        StringBuilder many = new StringBuilder("x\n");
        for (int i = 0; i < 21; i++) many.append(i).append('\n');
        ColumnStats s = csv(dir, many.toString()).schema().get(0);
        assertThat(s.distinctCount()).isEqualTo(21);
        assertThat(s.distinct()).isEmpty();
    }

    @Test
    void textDistinctValuesAreListedUpToAHundred() {
        StringBuilder text = new StringBuilder("name\n");
        for (int i = 0; i < 150; i++) text.append("n").append(1000 + i).append('\n');
        ColumnStats s = csv(dir, text.toString()).schema().get(0);
        assertThat(s.distinctCount()).isEqualTo(150);
        assertThat(s.distinct()).hasSize(100).startsWith("n1000", "n1001");
    }

    @Test
    void allMissingSpellingsAreMissing() {
        Table t = csv(dir, "x,y\n,1\nNA,2\nn/a,3\nnan,4\nNULL,5\n ? ,6\n 7 ,7\n");
        assertThat(t.type(0)).isEqualTo(ColumnType.NUMERIC);
        float[] x = t.numeric(0);
        for (int i = 0; i < 6; i++) assertThat(x[i]).isNaN();
        assertThat(x[6]).isEqualTo(7f);
        assertThat(t.text(0)).containsExactly(null, null, null, null, null, null, "7");
        assertThat(t.schema().get(0).missing()).isEqualTo(6);
    }

    @Test
    void aNonNumberMakesTheColumnTextKeepingEarlierValues() {
        Table t = csv(dir, "age,z\n1.50,1\n,2\nabc,3\n 4 ,4\n");
        assertThat(t.type(0)).isEqualTo(ColumnType.STRING);
        assertThat(t.text(0)).containsExactly("1.5", null, "abc", "4");
        assertThatThrownBy(() -> t.numeric(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void infinityAndJavaSuffixesAreNotNumbers() {
        assertThat(csv(dir, "x\n1\nInfinity\n").type(0)).isEqualTo(ColumnType.STRING);
        assertThat(csv(dir, "x\n1\n2d\n").type(0)).isEqualTo(ColumnType.STRING);
        assertThat(csv(dir, "x\n1e3\n-2.5E-1\n+3\n.5\n").numeric(0)).containsExactly(1000f, -0.25f, 3f, 0.5f);
    }

    @Test
    void wrongFieldCountNamesTheRow() {
        DataFormatException e = catchThrowableOfType(() -> csv(dir, "a,b,c\n1,2,3\n4,5,6\n7,8\n"), DataFormatException.class);
        assertThat(e.row()).isEqualTo(4);
        assertThat(e).hasMessage("row 4: expected 3 fields, found 2");
        assertThatThrownBy(() -> csv(dir, "a,b\n1,2,3\n")).hasMessage("row 2: expected 2 fields, found 3");
    }

    @Test
    void rowNumbersCountLinesAsTheUserSeesThem() {
        DataFormatException e = catchThrowableOfType(
                () -> csv(dir, "a,b\n1,\"two\nlines\"\n\n3,4\n5\n"), DataFormatException.class);
        assertThat(e.row()).isEqualTo(6);
    }

    @Test
    void headerNamesAreTrimmedAndMustBeUniqueAndNonEmpty() {
        assertThat(csv(dir, " a , b \n1,2\n").columnNames()).containsExactly("a", "b");
        DataFormatException dup = catchThrowableOfType(() -> csv(dir, "a,b,a\n1,2,3\n"), DataFormatException.class);
        assertThat(dup.row()).isEqualTo(1);
        assertThat(dup.column()).isEqualTo("3");
        assertThat(dup).hasMessageContaining("row 1, column 3").hasMessageContaining("'a' is used twice (also column 1)");
        DataFormatException empty = catchThrowableOfType(() -> csv(dir, "a, ,c\n1,2,3\n"), DataFormatException.class);
        assertThat(empty.row()).isEqualTo(1);
        assertThat(empty.column()).isEqualTo("2");
        assertThat(empty).hasMessageContaining("row 1, column 2");
    }

    @Test
    void emptyFileAndHeaderOnly() {
        assertThatThrownBy(() -> csv(dir, "")).isInstanceOf(DataFormatException.class).hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> csv(dir, "a,b\n")).isInstanceOf(DataFormatException.class).hasMessageContaining("no data rows");
    }

    @Test
    void acceptsAUtf8Bom() {
        byte[] text = "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertThat(CsvTableReader.read(new ByteArrayInputStream(withBom)).columnNames()).containsExactly("x", "y");
    }

    @Test
    void readsGzipTransparentlyAndHashesTheRawBytes() throws Exception {
        byte[] gz = TestFiles.gzip(SOFTMAX_CSV.getBytes(StandardCharsets.UTF_8));
        Table t = CsvTableReader.read(TestFiles.write(dir, "data.csv.gz", gz));
        assertThat(t.rowCount()).isEqualTo(8);
        assertThat(t.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gz)));
    }

    @Test
    void corruptGzipIsADataFormatProblem() {
        byte[] gz = TestFiles.gzip(SOFTMAX_CSV.getBytes(StandardCharsets.UTF_8));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        assertThatThrownBy(() -> CsvTableReader.read(new ByteArrayInputStream(cut)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("gzip");
    }

    @Test
    void sha256CoversTheWholePlainFile() throws Exception {
        byte[] bytes = SOFTMAX_CSV.getBytes(StandardCharsets.UTF_8);
        assertThat(CsvTableReader.read(new ByteArrayInputStream(bytes)).sha256())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    @Test
    void columnIndexNamesTheColumnsThatExist() {
        Table t = csv(dir, "a,b,c\n1,2,3\n");
        assertThat(t.columnIndex("b")).isEqualTo(1);
        assertThatThrownBy(() -> t.columnIndex("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no column 'x'; columns are [a, b, c]");
    }

    @Test
    void previewShowsFirstRowsWithNullForMissing() {
        Table t = csv(dir, "a,b\n1,x\n,y\n3,NA\n");
        assertThat(t.preview(2)).containsExactly(Arrays.asList("1", "x"), Arrays.asList(null, "y"));
        assertThat(t.preview(10)).hasSize(3);
    }

    @Test
    void accessorsReturnCopies() {
        Table t = csv(dir, "a\n1\n");
        t.numeric(0)[0] = 99;
        assertThat(t.numeric(0)[0]).isEqualTo(1f);
    }

    @Test
    void readsAHundredThousandRowsQuickly() {
        StringBuilder text = new StringBuilder("a,b,c,label\n");
        String[] colors = {"red", "green", "blue"};
        for (int i = 0; i < 100_000; i++) {
            text.append(i).append(',').append(i * 0.5).append(',').append(colors[i % 3]).append(',').append(i % 10).append('\n');
        }
        Table t = csv(dir, text.toString());
        assertThat(t.rowCount()).isEqualTo(100_000);
        assertThat(t.numeric(1)[99_999]).isEqualTo(49_999.5f);
        assertThat(t.schema().get(2).distinct()).containsExactly("blue", "green", "red");
    }
}
