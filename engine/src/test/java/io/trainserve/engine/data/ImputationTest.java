package io.trainserve.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.trainserve.engine.Dataset;
import io.trainserve.engine.InputSchema.Feature;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.engine.spec.PreprocessingSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImputationTest {
    private static final String CSV = "id,age,port,y\n1,10,S,0\n2,,S,1\n3,20,C,0\n4,60,,1\n5,10,Q,0\n";

    private static Table csv(String text) {
        return CsvTableReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Dataset train(String missing) {
        return DatasetBuilder.training(csv(CSV), "y", true, new PreprocessingSpec(null, missing, null, List.of("id"), null));
    }

    @Test
    void fillsFollowThePolicyAndUseOnlyPresentValues() {
        assertThat(fills("impute")).containsExactly("15", "S");        // median of 10, 20, 60, 10
        assertThat(fills("median")).containsExactly("15", "S");
        assertThat(fills("mean")).containsExactly("25", "S");
        assertThat(fills("most_frequent")).containsExactly("10", "S");
    }

    private static List<String> fills(String policy) {
        return Imputation.fit(train(policy), MissingPolicy.parse(policy)).features().stream().map(Feature::fill).toList();
    }

    @Test
    void missingCellsTakeTheFillsAndCompleteOnesStay() {
        Dataset d = train("impute");
        Dataset filled = Imputation.apply(d, Imputation.fit(d, MissingPolicy.IMPUTE));
        // features: age, port=C, port=Q, port=S
        assertThat(filled.features()).containsExactly(
                10, 0, 0, 1,
                15, 0, 0, 1,
                20, 1, 0, 0,
                60, 0, 0, 1,
                10, 0, 1, 0);
    }

    @Test
    void anIdentifierLikeTextColumnIsRefusedNamingIt() {
        StringBuilder t = new StringBuilder("name,x,y\n");
        for (int i = 0; i < 40; i++) t.append("person").append(i).append(',').append(i).append(',').append(i % 2).append('\n');
        InvalidSpecException e = catchThrowableOfType(() -> DatasetBuilder.training(csv(t.toString()), "y", true, null),
                InvalidSpecException.class);
        assertThat(e.violations().get(0).field()).isEqualTo("exclude");
        assertThat(e.violations().get(0).given()).contains("'name'", "40 distinct");
        assertThat(DatasetBuilder.training(csv(t.toString()), "y", true, new PreprocessingSpec(null, null, List.of("x"), null, null))
                .inputSchema().features()).extracting(Feature::name).containsExactly("x");
    }
}
