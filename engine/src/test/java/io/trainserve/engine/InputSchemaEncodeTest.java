package io.trainserve.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.trainserve.engine.InputSchema.Feature;
import io.trainserve.engine.InputSchema.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class InputSchemaEncodeTest {
    static final InputSchema TABULAR = new InputSchema(List.of(
            new Feature("size", Kind.NUMERIC, List.of()),
            new Feature("color", Kind.CATEGORICAL, List.of("red", "green", "blue")),
            new Feature("petal_width", Kind.NUMERIC, List.of())), null);

    static InvalidInputException rejected(ThrowingCallable call) {
        InvalidInputException e = catchThrowableOfType(call, InvalidInputException.class);
        assertThat(e).as("expected InvalidInputException").isNotNull();
        return e;
    }

    @Test
    void encodesAListInFeatureOrderWithOneHotCategories() {
        assertThat(TABULAR.encode(List.of(2.5, "green", 7))).containsExactly(2.5f, 0, 1, 0, 7);
    }

    @Test
    void encodesByNameInAnyOrder() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("petal_width", 0.2);
        row.put("color", "blue");
        row.put("size", 1L);
        assertThat(TABULAR.encode(row)).containsExactly(1, 0, 0, 1, 0.2f);
    }

    @Test
    void expandedNamesMatchTheEncoding() {
        assertThat(TABULAR.expandedNames()).containsExactly("size", "color=red", "color=green", "color=blue", "petal_width");
        assertThat(InputSchema.image(1, 2, 2).expandedNames()).containsExactly("pixel[0][0]", "pixel[0][1]", "pixel[1][0]", "pixel[1][1]");
    }

    @Test
    void numericFeaturesTakeNumbersNotStrings() {
        InvalidInputException e = rejected(() -> TABULAR.encode(List.of(1, "red", "abc")));
        assertThat(e.field()).isEqualTo("petal_width");
        assertThat(e.given()).isEqualTo("\"abc\"");
        assertThat(e.expected()).isEqualTo("a number");
        assertThat(rejected(() -> TABULAR.encode(List.of("5", "red", 1))).given()).isEqualTo("\"5\"");
        assertThat(rejected(() -> TABULAR.encode(Arrays2.listOf(null, "red", 1))).given()).isEqualTo("null");
        assertThat(rejected(() -> TABULAR.encode(List.of(Double.NaN, "red", 1))).field()).isEqualTo("size");
    }

    @Test
    void unknownCategoryListsTheCategories() {
        InvalidInputException e = rejected(() -> TABULAR.encode(List.of(1, "purple", 1)));
        assertThat(e.field()).isEqualTo("color");
        assertThat(e.given()).isEqualTo("\"purple\"");
        assertThat(e.expected()).isEqualTo("one of [red, green, blue]");
        assertThat(rejected(() -> TABULAR.encode(List.of(1, 0, 1))).given()).isEqualTo("0");
    }

    @Test
    void wrongValueCountNamesTheFeatures() {
        InvalidInputException e = rejected(() -> TABULAR.encode("[3]", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9)));
        assertThat(e.field()).isEqualTo("[3]");
        assertThat(e.given()).isEqualTo("9 values");
        assertThat(e.expected()).isEqualTo("3 values: [size, color, petal_width]");
        assertThat(e).hasMessage("[3]: given 9 values; expected 3 values: [size, color, petal_width]");
        assertThat(rejected(() -> TABULAR.encode(List.of(1))).field()).isEqualTo("input");
    }

    @Test
    void byNameRejectsUnknownAndMissingNames() {
        InvalidInputException unknown = rejected(() -> TABULAR.encode(Map.of("size", 1, "color", "red", "petal_width", 1, "weight", 3)));
        assertThat(unknown.field()).isEqualTo("weight");
        assertThat(unknown.expected()).contains("[size, color, petal_width]");
        InvalidInputException missing = rejected(() -> TABULAR.encode(Map.of("size", 1, "color", "red")));
        assertThat(missing.field()).isEqualTo("petal_width");
        assertThat(missing.given()).isEqualTo("nothing");
        InvalidInputException wrongType = rejected(() -> TABULAR.encode("instances[0]", Map.of("size", 1, "color", "red", "petal_width", true)));
        assertThat(wrongType.field()).isEqualTo("instances[0].petal_width");
        assertThat(wrongType.given()).isEqualTo("true");
    }

    @Test
    void imagesAcceptFlatOrNestedPixels() {
        InputSchema image = InputSchema.image(1, 2, 3);
        float[] expected = {0, 1, 2, 3, 4, 5};
        assertThat(image.encode(List.of(0, 1, 2, 3, 4, 5))).containsExactly(expected);
        assertThat(image.encode(List.of(List.of(0, 1, 2), List.of(3, 4, 5)))).containsExactly(expected);
        assertThat(image.encode(List.of(List.of(List.of(0, 1, 2), List.of(3, 4, 5))))).containsExactly(expected);
    }

    @Test
    void mnistSizedNestedImage() {
        List<List<Integer>> rows = new ArrayList<>();
        for (int r = 0; r < 28; r++) rows.add(Collections.nCopies(28, r));
        float[] x = InputSchema.image(1, 28, 28).encode(rows);
        assertThat(x).hasSize(784);
        assertThat(x[28 * 27 + 5]).isEqualTo(27f);
    }

    @Test
    void badImagesSayWhereAndWhat() {
        InputSchema image = InputSchema.image(1, 2, 3);
        InvalidInputException flat = rejected(() -> image.encode(List.of(1, 2, 3)));
        assertThat(flat.field()).isEqualTo("input");
        assertThat(flat.given()).isEqualTo("3 values");
        assertThat(flat.expected()).contains("6 pixel values").contains("2 lists of 3 numbers");
        InvalidInputException shortRow = rejected(() -> image.encode(List.of(List.of(0, 1, 2), List.of(3, 4))));
        assertThat(shortRow.field()).isEqualTo("[1]");
        assertThat(shortRow.given()).isEqualTo("2 values");
        InvalidInputException text = rejected(() -> image.encode(List.of(List.of(0, 1, 2), List.of(3, "x", 5))));
        assertThat(text.field()).isEqualTo("[1][1]");
        assertThat(text.expected()).isEqualTo("a number");
        assertThat(rejected(() -> image.encode(Map.of("a", 1))).given()).isEqualTo("an object");
    }

    /** List.of rejects nulls; JSON arrays may hold them. */
    static final class Arrays2 {
        static List<Object> listOf(Object... values) {
            return java.util.Arrays.asList(values);
        }
    }
}
