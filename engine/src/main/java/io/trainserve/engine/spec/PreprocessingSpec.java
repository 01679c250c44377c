package io.trainserve.engine.spec;

import java.util.List;

/**
 * Feature scaling fitted on the training split only and saved with the model, which columns are
 * features, and what to do with missing values.
 *
 * @param scaling       none, minmax ([0,1]), minmax_symmetric ([-1,1]), standardize (z-score),
 *                      pixel (/255, images). Default: pixel for image datasets, none otherwise.
 * @param missing       error (default), drop (rows that miss a value), or impute / mean / median /
 *                      most_frequent (fill from the training split, saved with the model, applied at predict)
 * @param features      use only these columns as features (null: every column but the target); the job spec's
 *                      top-level {@code features} (violations are named {@code features})
 * @param exclude       use every column but the target and these (only without {@code features}); the job
 *                      spec's top-level {@code exclude}
 * @param maxCategories a text feature with more distinct values than this is refused as an identifier (default 1000)
 */
public record PreprocessingSpec(String scaling, String missing, List<String> features, List<String> exclude,
                                Integer maxCategories) {
    public PreprocessingSpec(String scaling, String missing) {
        this(scaling, missing, null, null, null);
    }

    public static PreprocessingSpec scaling(String scaling) {
        return new PreprocessingSpec(scaling, null);
    }
}
