package io.trainserve.service.doctor;

import java.util.List;
import java.util.Map;

/**
 * What the doctor looks at: a run's per-epoch metrics, the facts of its spec and of its training data.
 *
 * @param epochs          metrics of every finished epoch, in order ({@code loss}, {@code accuracy}, {@code val_loss}, ...)
 * @param divergence      the engine's message when the loss became NaN/infinite, else null
 * @param learningRate    the initial learning rate
 * @param optimizer       e.g. {@code sgd}, {@code adam}
 * @param scaled          a feature scaling other than {@code none} was asked for
 * @param validated       a validation split or dataset was given
 * @param reluHidden      a hidden layer uses relu (units can die)
 * @param features        scale of every input feature (raw, before scaling)
 * @param classCounts     rows per class for a classification target, empty for real values
 */
public record Examination(List<Map<String, Double>> epochs, String divergence, double learningRate, String optimizer,
                          boolean scaled, boolean validated, boolean reluHidden, List<Feature> features,
                          Map<String, Long> classCounts) {

    public Examination {
        epochs = List.copyOf(epochs);
        features = List.copyOf(features);
        classCounts = Map.copyOf(classCounts);
    }

    /** Mean, standard deviation, minimum and maximum of one input feature over the training rows. */
    public record Feature(String name, double mean, double std, double min, double max) {
        double range() {
            return max - min;
        }
    }
}
