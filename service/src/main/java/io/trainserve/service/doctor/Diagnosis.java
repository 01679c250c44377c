package io.trainserve.service.doctor;

/**
 * One finding of the training doctor about a finished job.
 *
 * @param code     e.g. {@code DIVERGED}, {@code OVERFITTING} (see {@link Doctor})
 * @param severity {@code error} (the run failed because of it), {@code warning} (the model is likely poor) or {@code info}
 * @param evidence what in the run shows it, with its numbers (epochs, values)
 * @param advice   the lecture notes' cure
 */
public record Diagnosis(String code, String severity, String evidence, String advice) {
}
