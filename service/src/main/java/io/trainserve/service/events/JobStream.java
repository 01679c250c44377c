package io.trainserve.service.events;

import io.trainserve.service.training.JobView;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One watcher of one job: the last epoch it was sent (its Last-Event-ID) and its progress throttle.
 * Touched only by the poller thread once registered.
 */
class JobStream {
    final Watcher watcher;
    private int lastEpoch;
    private ProgressEvent lastProgress;
    private long lastProgressNanos = Long.MIN_VALUE;

    JobStream(Watcher watcher, int lastEpoch) {
        this.watcher = watcher;
        this.lastEpoch = lastEpoch;
    }

    int lastEpoch() {
        return lastEpoch;
    }

    /**
     * Sends what this watcher has not seen: the newer epochs in order, then either the terminal
     * status (and ends the stream) or a progress event when it changed and the throttle allows.
     */
    void update(JobView job, List<JobView.EpochView> epochs, long progressIntervalNanos) {
        for (JobView.EpochView e : epochs) {
            if (e.epoch() <= lastEpoch) continue;
            if (!watcher.send(SseEmitter.event().id(Integer.toString(e.epoch())).name("epoch")
                    .data(EpochEvent.of(e, job), MediaType.APPLICATION_JSON))) return;
            lastEpoch = e.epoch();
        }
        if (job.status().isFinished()) {
            if (watcher.send(SseEmitter.event().name("status").data(job, MediaType.APPLICATION_JSON))) watcher.complete();
            return;
        }
        ProgressEvent progress = ProgressEvent.of(job);
        long now = System.nanoTime();
        if (progress.equals(lastProgress)) return;
        if (lastProgressNanos != Long.MIN_VALUE && now - lastProgressNanos < progressIntervalNanos) return;
        if (watcher.send(SseEmitter.event().name("progress").data(progress, MediaType.APPLICATION_JSON))) {
            lastProgress = progress;
            lastProgressNanos = now;
        }
    }
}
