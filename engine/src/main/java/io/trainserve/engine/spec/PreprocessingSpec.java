package io.trainserve.engine.spec;

/**
 * Feature scaling fitted on the training split only and saved with the model.
 *
 * @param scaling none, minmax ([0,1]), minmax_symmetric ([-1,1]), standardize (z-score),
 *                pixel (/255, images). Default: pixel for image datasets, none otherwise.
 * @param missing what to do with rows that miss a feature or target value: error (default) or drop
 */
public record PreprocessingSpec(String scaling, String missing) {
    public static PreprocessingSpec scaling(String scaling) {
        return new PreprocessingSpec(scaling, null);
    }
}
