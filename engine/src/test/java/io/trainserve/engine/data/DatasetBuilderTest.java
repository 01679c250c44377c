package io.trainserve.engine.data;

import static io.trainserve.engine.data.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.InputSchema;
import io.trainserve.engine.InputSchema.Kind;
import io.trainserve.engine.Target;
import io.trainserve.engine.spec.InvalidSpecException;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetBuilderTest {
    @TempDir Path dir;

    private Table csv(String text) {
        return TestFiles.csv(dir, text);
    }

    @Test
    void softmaxSeedBecomesFourNumericFeaturesAndThreeClasses() {
        Table t = csv(SOFTMAX_CSV);
        Dataset d = DatasetBuilder.fromTable(t, "y", true, null);
        assertThat(d.size()).isEqualTo(8);
        assertThat(d.inputSchema().features()).extracting(InputSchema.Feature::name).containsExactly("x1", "x2", "x3", "x4");
        assertThat(d.inputSchema().features()).allMatch(f -> f.kind() == Kind.NUMERIC);
        assertThat(d.width()).isEqualTo(4);
        Target.Classes y = (Target.Classes) d.target();
        assertThat(y.column()).isEqualTo("y");
        assertThat(y.classNames()).containsExactly("0", "1", "2");
        assertThat(y.indices()).containsExactly(2, 2, 2, 1, 1, 1, 0, 0);
        assertThat(d.features()).startsWith(1, 2, 1, 1, 2, 1, 3, 2);
        assertThat(d.checksum()).isEqualTo(t.sha256());
    }

    @Test
    void classNamesSortNumericallyNotByText() {
        Dataset d = DatasetBuilder.fromTable(csv("x,y\n1,10\n2,9\n3,-1\n4,10\n"), "y", true, "error");
        Target.Classes y = (Target.Classes) d.target();
        assertThat(y.classNames()).containsExactly("-1", "9", "10");
        assertThat(y.indices()).containsExactly(2, 1, 0, 2);
    }

    @Test
    void textLabelsSortByText() {
        Target.Classes y = (Target.Classes) DatasetBuilder.fromTable(csv("x,y\n1,setosa\n2,virginica\n3,versicolor\n"), "y", true, null).target();
        assertThat(y.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(y.indices()).containsExactly(0, 2, 1);
    }

    @Test
    void textColumnsAreOneHotOverSortedCategories() {
        Dataset d = DatasetBuilder.fromTable(csv("color,size,y\nred,1,a\ngreen,2,b\nblue,3,a\nred,4,b\n"), "y", true, null);
        InputSchema.Feature color = d.inputSchema().features().get(0);
        assertThat(color.kind()).isEqualTo(Kind.CATEGORICAL);
        assertThat(color.categories()).containsExactly("blue", "green", "red");
        assertThat(d.width()).isEqualTo(4);
        assertThat(d.features()).containsExactly(
                0, 0, 1, 1,
                0, 1, 0, 2,
                1, 0, 0, 3,
                0, 0, 1, 4);
    }

    @Test
    void targetNeedNotBeTheLastColumn() {
        Dataset d = DatasetBuilder.fromTable(csv("y,a,b\n1.5,1,2\n2.5,3,4\n"), "y", false, null);
        assertThat(d.inputSchema().features()).extracting(InputSchema.Feature::name).containsExactly("a", "b");
        assertThat(((Target.Values) d.target()).values()).containsExactly(1.5f, 2.5f);
        assertThat(d.features()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void unknownTargetColumnListsTheColumns() {
        InvalidSpecException e = catchThrowableOfType(
                () -> DatasetBuilder.fromTable(csv(SOFTMAX_CSV), "label", true, null), InvalidSpecException.class);
        assertThat(e.violations().get(0).field()).isEqualTo("target");
        assertThat(e.violations().get(0).given()).isEqualTo("\"label\"");
        assertThat(e.violations().get(0).allowed()).isEqualTo("one of [x1, x2, x3, x4, y]");
    }

    @Test
    void nonIntegerLabelsAreNotClasses() {
        InvalidSpecException e = catchThrowableOfType(
                () -> DatasetBuilder.fromTable(csv("x,y\n1,1\n2,1.5\n"), "y", true, null), InvalidSpecException.class);
        assertThat(e.violations().get(0).field()).isEqualTo("target");
        assertThat(e.violations().get(0).given()).isEqualTo("column 'y' with non-integer values such as 1.5");
        assertThat(e.violations().get(0).allowed()).contains("use loss mse or mae");
    }

    @Test
    void regressionNeedsANumericTarget() {
        InvalidSpecException e = catchThrowableOfType(
                () -> DatasetBuilder.fromTable(csv("x,y\n1,a\n2,b\n"), "y", false, null), InvalidSpecException.class);
        assertThat(e.violations().get(0).field()).isEqualTo("target");
        assertThat(e.violations().get(0).given()).contains("'a'");
    }

    @Test
    void missingValuesAreAnErrorByDefault() {
        Table t = csv("a,b,y\n1,2,0\n3,4,1\n5,NA,1\n,6,0\n7,8,\n");
        DataFormatException e = catchThrowableOfType(() -> DatasetBuilder.fromTable(t, "y", true, null), DataFormatException.class);
        assertThat(e.row()).isEqualTo(4);
        assertThat(e.column()).isEqualTo("b");
        assertThat(e).hasMessageStartingWith("row 4, column 'b': expected a value, found a missing value (3 missing values");
        assertThatThrownBy(() -> DatasetBuilder.fromTable(t, "y", true, "error")).isInstanceOf(DataFormatException.class);
    }

    @Test
    void dropPolicyDropsIncompleteRows() {
        Table t = csv("a,b,y\n1,2,0\n3,4,1\n5,NA,1\n,6,0\n7,8,\n9,10,1\n");
        Dataset d = DatasetBuilder.fromTable(t, "y", true, "drop");
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.features()).containsExactly(1, 2, 3, 4, 9, 10);
        assertThat(((Target.Classes) d.target()).indices()).containsExactly(0, 1, 1);
    }

    @Test
    void dropPolicyWithNothingLeftIsAnError() {
        assertThatThrownBy(() -> DatasetBuilder.fromTable(csv("a,y\n1,\n,1\n"), "y", true, "drop"))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("none remain");
    }

    @Test
    void unknownPolicyIsASpecError() {
        InvalidSpecException e = catchThrowableOfType(
                () -> DatasetBuilder.fromTable(csv(SOFTMAX_CSV), "y", true, "average"), InvalidSpecException.class);
        assertThat(e.violations().get(0).field()).isEqualTo("preprocessing.missing");
    }

    @Test
    void testSetIsEncodedLikeTheTrainingSet() {
        Dataset train = DatasetBuilder.fromTable(csv("color,x,y\nred,1,cat\ngreen,2,dog\nblue,3,cat\n"), "y", true, null);
        // different column order, an extra column, a subset of categories and classes
        Table test = csv("extra,y,x,color\n9,dog,5,green\n9,dog,6,green\n");
        Dataset d = DatasetBuilder.fromTable(test, null, train.inputSchema(), train.target(), null);
        assertThat(d.inputSchema()).isEqualTo(train.inputSchema());
        assertThat(d.features()).containsExactly(0, 1, 0, 5, 0, 1, 0, 6);
        Target.Classes y = (Target.Classes) d.target();
        assertThat(y.classNames()).containsExactly("cat", "dog");
        assertThat(y.indices()).containsExactly(1, 1);
    }

    @Test
    void testSetWithUnknownCategoryOrLabelSaysWhatIsAllowed() {
        Dataset train = DatasetBuilder.fromTable(csv("color,x,y\nred,1,0\ngreen,2,1\n"), "y", true, null);
        DataFormatException category = catchThrowableOfType(() -> DatasetBuilder.fromTable(
                csv("color,x,y\nred,1,0\npurple,2,1\n"), "y", train.inputSchema(), train.target(), null), DataFormatException.class);
        assertThat(category).hasMessage("row 3, column 'color': expected one of the training categories [green, red], found 'purple'");
        DataFormatException label = catchThrowableOfType(() -> DatasetBuilder.fromTable(
                csv("color,x,y\nred,1,0\nred,2,7\n"), "y", train.inputSchema(), train.target(), null), DataFormatException.class);
        assertThat(label).hasMessage("row 3, column 'y': expected one of the training classes [0, 1], found '7'");
    }

    @Test
    void testSetMissingAFeatureColumnIsASpecError() {
        Dataset train = DatasetBuilder.fromTable(csv(SOFTMAX_CSV), "y", true, null);
        InvalidSpecException e = catchThrowableOfType(() -> DatasetBuilder.fromTable(
                csv("x1,x2,x4,y\n1,2,3,0\n"), "y", train.inputSchema(), train.target(), null), InvalidSpecException.class);
        assertThat(e).hasMessageContaining("'x3'");
    }

    @Test
    void testSetWithTextInANumericFeaturePointsAtTheCell() {
        Dataset train = DatasetBuilder.fromTable(csv("age,y\n1,0\n2,1\n"), "y", true, null);
        assertThatThrownBy(() -> DatasetBuilder.fromTable(csv("age,y\n3,0\n4,1\n5,0\n6,1\n7,0\nabc,1\n"), "y",
                train.inputSchema(), train.target(), null))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("row 7, column 'age': expected a number, found 'abc'");
    }

    @Test
    void regressionTestSetKeepsValues() {
        Dataset train = DatasetBuilder.fromTable(csv("x,y\n1,0.5\n2,1.5\n"), "y", false, null);
        Dataset test = DatasetBuilder.fromTable(csv("x,y\n3,NA\n4,2.5\n"), "y", train.inputSchema(), train.target(), "drop");
        assertThat(((Target.Values) test.target()).values()).containsExactly(2.5f);
        assertThat(test.features()).containsExactly(4f);
    }

    private static ImageSet images(byte... labels) {
        byte[] pixels = new byte[labels.length * 4];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 20);
        pixels[pixels.length - 1] = (byte) 255;
        return IdxReader.read(new ByteArrayInputStream(IdxReaderTest.images(2051, labels.length, 2, 2, pixels)),
                new ByteArrayInputStream(IdxReaderTest.labels(2049, labels.length, labels)));
    }

    @Test
    void imagesBecomeRawPixelsWithSortedLabelClasses() {
        ImageSet s = images((byte) 3, (byte) 0, (byte) 10);
        Dataset d = DatasetBuilder.fromImages(s);
        assertThat(d.inputSchema().imageShape()).containsExactly(1, 2, 2);
        assertThat(d.features()).hasSize(12).startsWith(0, 20, 40).endsWith(255);
        Target.Classes y = (Target.Classes) d.target();
        assertThat(y.column()).isEqualTo("label");
        assertThat(y.classNames()).containsExactly("0", "3", "10");
        assertThat(y.indices()).containsExactly(1, 0, 2);
        assertThat(d.checksum()).isEqualTo(s.sha256());
    }

    @Test
    void testImagesUseTheTrainingClasses() {
        Target.Classes train = (Target.Classes) DatasetBuilder.fromImages(images((byte) 0, (byte) 1, (byte) 2)).target();
        Dataset test = DatasetBuilder.fromImages(images((byte) 2, (byte) 2), train);
        assertThat(((Target.Classes) test.target()).indices()).containsExactly(2, 2);
        assertThat(((Target.Classes) test.target()).classNames()).isEqualTo(List.of("0", "1", "2"));
        assertThatThrownBy(() -> DatasetBuilder.fromImages(images((byte) 1, (byte) 9), train))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("image 2 of 2: expected one of the training classes [0, 1, 2], found label 9");
    }
}
