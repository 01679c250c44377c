package io.trainserve.engine;

import java.util.List;

/**
 * @param model       the trained model (null unless SUCCEEDED)
 * @param bestEpoch   epoch whose weights were kept (restoreBestWeights / saveBestOnly), else the last epoch
 * @param test        evaluation on the test set, if one was given
 * @param message     for DIVERGED: what happened and what to try
 */
public record TrainingResult(Outcome outcome, Model model, List<EpochMetrics> history, boolean stoppedEarly,
                             int bestEpoch, EvaluationReport test, String message) {
}
