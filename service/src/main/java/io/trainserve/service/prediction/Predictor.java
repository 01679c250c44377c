package io.trainserve.service.prediction;

import io.trainserve.engine.InvalidInputException;
import io.trainserve.engine.InvalidDataException;
import io.trainserve.service.registry.ServingCatalog;
import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.NotFoundException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Resolves the version to serve (the latest, {@code ?version=N} or {@code ?alias=NAME}) from the in-memory
 * {@link ServingCatalog}, runs the caller's work with it, and counts every request by outcome with its
 * latency and instance count. The work (JSON, CSV, images, Open Inference Protocol) decodes its input and
 * calls {@link #outputs} for the network's raw outputs, which goes through the {@link Batcher}.
 */
@Component
class Predictor {
    private final ServingCatalog catalog;
    private final PredictionMetrics metrics;
    private final Batcher batcher;

    Predictor(ServingCatalog catalog, PredictionMetrics metrics, Batcher batcher) {
        this.catalog = catalog;
        this.metrics = metrics;
        this.batcher = batcher;
    }

    /** What a request's work returns: its answer and how many instances it predicted. */
    record Served<T>(T body, long instances) {
    }

    interface Work<T> {
        Served<T> run(ServingCatalog.Resolved version);
    }

    <T> T serve(String modelId, Integer requestedVersion, String alias, Work<T> work) {
        long start = System.nanoTime();
        String modelTag = catalog.exists(modelId) ? modelId : PredictionMetrics.UNKNOWN;
        String versionTag = PredictionMetrics.NONE;
        try {
            ServingCatalog.Resolved resolved = catalog.resolve(modelId, requestedVersion, alias);
            versionTag = Integer.toString(resolved.version());
            Served<T> served = work.run(resolved);
            metrics.latency(modelTag, versionTag, System.nanoTime() - start);
            metrics.instances(modelTag, served.instances());
            metrics.count(modelTag, versionTag, PredictionMetrics.Outcome.SUCCESS);
            return served.body();
        } catch (NotFoundException e) {
            metrics.count(modelTag, PredictionMetrics.NONE, PredictionMetrics.Outcome.NOT_FOUND);
            throw e;
        } catch (InvalidInputException | BadRequestException | InvalidDataException | JacksonException e) {
            metrics.count(modelTag, versionTag, PredictionMetrics.Outcome.INVALID_INPUT); // TooLargeException is a BadRequestException
            throw e;
        } catch (RuntimeException e) {
            metrics.count(modelTag, versionTag, PredictionMetrics.Outcome.ERROR);
            throw e;
        }
    }

    /** Raw outputs for exactly {@code count x width} encoded rows (token ids checked for an embedding model), batched with other callers' when configured. */
    float[] outputs(ServingCatalog.Resolved r, float[] rows, int count) {
        r.model().checkInstances(rows, count); // this request's rows alone, before any batching with others
        return batcher.outputs(r.modelId(), r.version(), r.model(), rows, count);
    }
}
