package io.trainserve.service.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Contract;
import io.trainserve.service.support.Training;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * A Titanic-like table as the lecture notes' exercise has it: an id, unique names, a ticket code, missing
 * ages and ports. Identifier columns are refused until excluded; missing values are imputed from the
 * training split, saved with the model and applied to null or absent predict inputs.
 */
@ApiTest
class TabularApiTest {
    private static final String JOB = """
            {"modelId": "titanic", "datasetId": "%s", "target": "Survived", "validation": {"split": 0.2}, %s
             "preprocessing": {"scaling": "standardize" %s},
             "model": {"layers": [{"type": "dense", "units": 16, "activation": "relu"},
                                  {"type": "dense", "units": 2, "activation": "softmax"}],
                       "loss": "sparse_categorical_crossentropy"},
             "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 60, "batchSize": 32, "seed": 7}}
            """;

    @Autowired
    MockMvc mvc;

    String datasetId;

    @BeforeEach
    void upload() throws Exception {
        datasetId = Training.upload(mvc, titanic(600, new Random(42)));
    }

    /** Survival follows sex, class and childhood (with 5 % noise); about 20 % of ages and 5 % of ports are missing. */
    static String titanic(int n, Random rnd) {
        StringBuilder csv = new StringBuilder("PassengerId,Name,Pclass,Sex,Age,Fare,Embarked,Ticket,Survived\n");
        String[] ports = {"S", "S", "S", "C", "Q"};
        for (int i = 1; i <= n; i++) {
            int pclass = 1 + rnd.nextInt(3);
            boolean female = rnd.nextBoolean();
            double age = 1 + rnd.nextInt(70);
            boolean survived = female ? pclass < 3 || age < 12 : age < 12;
            if (rnd.nextDouble() < 0.05) survived = !survived;
            double fare = (4 - pclass) * 20 + rnd.nextInt(15);
            csv.append(i).append(",\"Passenger").append(i).append(", ").append(female ? "Mrs. " : "Mr. ").append("X").append(i).append('"')
                    .append(',').append(pclass).append(',').append(female ? "female" : "male")
                    .append(',').append(rnd.nextDouble() < 0.2 && age >= 12 ? "" : String.valueOf((int) age))
                    .append(',').append(fare)
                    .append(',').append(rnd.nextDouble() < 0.05 ? "" : ports[rnd.nextInt(ports.length)])
                    .append(",T").append(100000 + i)
                    .append(',').append(survived ? 1 : 0).append('\n');
        }
        return csv.toString();
    }

    /** @param selection top-level members ending with a comma, e.g. {@code "exclude": ["Name"],} */
    static String job(String datasetId, String selection, String preprocessing) {
        return JOB.formatted(datasetId, selection, preprocessing);
    }

    ResultActions submit(String selection, String preprocessing) throws Exception {
        return mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(job(datasetId, selection, preprocessing)));
    }

    @Test
    void identifierColumnsAreRefusedNamingThemAndSuggestingExclude() throws Exception {
        submit("", ", \"missing\": \"impute\"")
                .andExpect(status().isBadRequest()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[*].field").value(hasItem("exclude")))
                .andExpect(jsonPath("$.detail").value(allOf(containsString("'Name'"), containsString("'Ticket'"),
                        containsString("listed in exclude"))));
    }

    @Test
    void missingValuesAreRefusedUnlessImputedOrDropped() throws Exception {
        submit("\"exclude\": [\"PassengerId\", \"Name\", \"Ticket\"],", "")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("preprocessing.missing"))
                .andExpect(jsonPath("$.detail").value(containsString("impute")));
    }

    @Test
    void badSelectionsNameTheField() throws Exception {
        submit("\"features\": [\"Sex\"], \"exclude\": [\"Name\"],", ", \"missing\": \"impute\"")
                .andExpect(status().isBadRequest()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[*].field").value(hasItem("exclude")))
                .andExpect(jsonPath("$.detail").value(containsString("one or the other")));
        submit("\"exclude\": [\"Nmae\"],", ", \"missing\": \"impute\"")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[*].field").value(hasItem("exclude")))
                .andExpect(jsonPath("$.detail").value(allOf(containsString("Nmae"), containsString("PassengerId"))));
        submit("\"features\": [\"Sex\", \"Survived\"],", ", \"missing\": \"impute\"")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("features"))
                .andExpect(jsonPath("$.violations[0].allowed").value(containsString("Survived")));
        // the older place still works as an alias, and its problems name it; both places at once is refused
        submit("", ", \"missing\": \"impute\", \"exclude\": [\"Nmae\"]")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[*].field").value(hasItem("preprocessing.exclude")));
        submit("\"exclude\": [\"PassengerId\", \"Name\", \"Ticket\"],", ", \"missing\": \"impute\", \"exclude\": [\"Name\"]")
                .andExpect(status().isBadRequest()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.violations[0].field").value("exclude"))
                .andExpect(jsonPath("$.violations[0].given").value(containsString("preprocessing.exclude")));
        submit("\"features\": [\"Sex\"],", ", \"features\": [\"Sex\"]")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("features"));
        mvc.perform(post("/jobs").contentType(MediaType.APPLICATION_JSON).content(job(datasetId, "\"features\": [\"Sex\"],", "")
                        .replace("\"seed\": 7", "\"seed\": 7, \"classWeight\": \"heavy\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.violations[0].field").value("training.classWeight"))
                .andExpect(jsonPath("$.detail").value(containsString("balanced")));
        submit("\"features\": [\"Sex\"],", ", \"missing\": \"average\"")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("most_frequent")));
    }

    @Test
    void trainsWithExcludeAndImputeAndPredictsRowsWithMissingValues() throws Exception {
        int v = Training.run(mvc, job(datasetId, "\"exclude\": [\"PassengerId\", \"Name\", \"Ticket\"],", ", \"missing\": \"impute\""));

        String model = mvc.perform(get("/models/titanic/versions/{v}", v)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.inputSchema.features[*].name").value(org.hamcrest.Matchers.contains("Pclass", "Sex", "Age", "Fare", "Embarked")))
                .andExpect(jsonPath("$.preprocessing.missing").value("impute"))
                .andReturn().getResponse().getContentAsString();
        double valAccuracy = ((Number) JsonPath.read(model, "$.metrics.val_accuracy")).doubleValue();
        assertThat(valAccuracy).isGreaterThanOrEqualTo(0.85);
        List<String> fills = JsonPath.read(model, "$.inputSchema.features[*].fill");
        assertThat(fills).doesNotContainNull();
        String ageFill = JsonPath.read(model, "$.inputSchema.features[2].fill");
        assertThat(Double.parseDouble(ageFill)).isBetween(25.0, 50.0); // the median of ages 1..70
        assertThat((String) JsonPath.read(model, "$.inputSchema.features[4].fill")).isEqualTo("S"); // the most frequent port

        String filled = """
                {"Pclass": 1, "Sex": "female", "Age": %s, "Fare": 70, "Embarked": "S"}""".formatted(ageFill);
        String body = mvc.perform(post("/models/titanic/predict").contentType(MediaType.APPLICATION_JSON).content("""
                        {"instances": [%s,
                                       {"Pclass": 1, "Sex": "female", "Age": null, "Fare": 70},
                                       [1, "female", null, 70, null],
                                       {"Pclass": 3, "Sex": "male", "Fare": 10},
                                       {"Pclass": 3, "Sex": "male", "Age": 5, "Fare": 10, "Embarked": "Q"}]}""".formatted(filled)))
                .andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.predictions", hasSize(5)))
                .andReturn().getResponse().getContentAsString();
        List<Double> survival = JsonPath.<List<Number>>read(body, "$.predictions[*].probabilities.1").stream().map(Number::doubleValue).toList();
        assertThat(survival.get(1)).isEqualTo(survival.get(0)); // null and absent values take the training fills
        assertThat(survival.get(2)).isEqualTo(survival.get(0));
        assertThat(survival.get(0)).isGreaterThan(0.5);          // a first-class woman
        assertThat(survival.get(3)).isLessThan(0.5);             // an adult third-class man (age imputed)
        assertThat(survival.get(4)).isGreaterThan(0.5);          // a boy

        // a CSV file's empty cells are missing values too, imputed the same way
        String csv = mvc.perform(post("/models/titanic/predict").contentType(MediaType.parseMediaType("text/csv")).content("""
                        Pclass,Sex,Age,Fare,Embarked
                        1,female,%s,70,S
                        1,female,,70,
                        """.formatted(ageFill)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(3);
        int prob1 = List.of(lines.get(0).split(",")).indexOf("prob_1");
        assertThat(Double.parseDouble(lines.get(2).split(",")[prob1])).isEqualTo(Double.parseDouble(lines.get(1).split(",")[prob1]))
                .isCloseTo(survival.get(0), org.assertj.core.data.Offset.offset(1e-6));

        mvc.perform(post("/models/titanic/predict").contentType(MediaType.APPLICATION_JSON).content("""
                        {"instances": [{"Pclass": 1, "Sex": null, "Age": 30, "Fare": 70, "Embarked": "X"}]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("Embarked")));
    }

    @Test
    void topLevelFeaturesPickTheColumnsAndTheOlderPlaceIsAnAlias() throws Exception {
        String features = "\"features\": [\"Pclass\", \"Sex\", \"Age\"],";
        int v = Training.run(mvc, job(datasetId, features, ", \"missing\": \"impute\"").replace("\"titanic\"", "\"titanic-top\""));
        mvc.perform(get("/models/titanic-top/versions/{v}", v)).andExpect(status().isOk()).andExpect(Contract.matches())
                .andExpect(jsonPath("$.inputSchema.features[*].name").value(org.hamcrest.Matchers.contains("Pclass", "Sex", "Age")));
        int alias = Training.run(mvc, job(datasetId, "", ", \"missing\": \"impute\", \"features\": [\"Pclass\", \"Sex\", \"Age\"]")
                .replace("\"titanic\"", "\"titanic-alias\""));
        mvc.perform(get("/models/titanic-alias/versions/{v}", alias)).andExpect(status().isOk())
                .andExpect(jsonPath("$.inputSchema.features[*].name").value(org.hamcrest.Matchers.contains("Pclass", "Sex", "Age")));
    }
}
