package io.trainserve.service.prediction;

import io.trainserve.engine.Model;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Runs a request's rows through its model, joined with other requests' rows when batching applies to the
 * model ({@link BatchingProperties}): one queue and one worker thread per model version take the first
 * waiting request, gather more until {@code maxBatchSize} rows or {@code maxDelay}, run one forward pass and
 * hand each caller exactly its slice of the outputs. A request larger than a batch runs alone.
 */
@Component
class Batcher {
    private final BatchingProperties properties;
    private final PredictionMetrics metrics;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    Batcher(BatchingProperties properties, PredictionMetrics metrics) {
        this.properties = properties;
        this.metrics = metrics;
    }

    /** Raw outputs for {@code rows} (exact length {@code count x width}). */
    float[] outputs(String modelId, int version, Model model, float[] rows, int count) {
        if (!properties.appliesTo(modelId) || count >= properties.maxBatchSize()) return model.outputs(rows, count);
        Lane lane = lanes.computeIfAbsent(modelId + " v" + version, name -> new Lane(name, modelId, model));
        Pending p = new Pending(rows, count, new CompletableFuture<>());
        lane.queue.add(p);
        try {
            return p.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    @PreDestroy
    void stop() {
        lanes.values().forEach(l -> l.worker.interrupt());
    }

    private record Pending(float[] rows, int count, CompletableFuture<float[]> result) {
    }

    private final class Lane implements Runnable {
        final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        final String modelId;
        final Model model;
        final Thread worker;
        Pending carried;

        Lane(String name, String modelId, Model model) {
            this.modelId = modelId;
            this.model = model;
            this.worker = new Thread(this, "batch " + name);
            worker.setDaemon(true);
            worker.start();
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) runOne();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void runOne() throws InterruptedException {
            Pending first = carried != null ? carried : queue.take();
            carried = null;
            List<Pending> batch = new ArrayList<>();
            batch.add(first);
            int rows = first.count();
            long deadline = System.nanoTime() + properties.maxDelay().toNanos();
            while (rows < properties.maxBatchSize()) {
                Pending next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) break;
                if (rows + next.count() > properties.maxBatchSize()) {
                    carried = next;
                    break;
                }
                batch.add(next);
                rows += next.count();
            }
            run(batch, rows);
        }

        private void run(List<Pending> batch, int rows) {
            try {
                float[] out;
                if (batch.size() == 1) {
                    out = model.outputs(batch.get(0).rows(), rows);
                } else {
                    int width = batch.get(0).rows().length / batch.get(0).count();
                    float[] all = new float[rows * width];
                    int at = 0;
                    for (Pending p : batch) {
                        System.arraycopy(p.rows(), 0, all, at, p.rows().length);
                        at += p.rows().length;
                    }
                    out = model.outputs(all, rows);
                }
                metrics.batch(modelId, rows);
                int units = out.length / rows, at = 0;
                for (Pending p : batch) {
                    float[] mine = new float[p.count() * units];
                    System.arraycopy(out, at, mine, 0, mine.length);
                    at += mine.length;
                    p.result().complete(mine);
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
            }
        }
    }
}
