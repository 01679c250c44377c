package io.trainserve.service.events;

import io.trainserve.service.training.JobFeed;
import io.trainserve.service.training.JobView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The watchers of single jobs, grouped by job: each tick reads a watched job's row once and its
 * unseen epoch rows once, whatever the number of watchers, and hands both to each of them. The job
 * row is read before the epochs, so once it says finished the epochs read after it are complete.
 */
@Component
class JobWatchers {
    private final JobFeed feed;
    private final EventProperties properties;
    private final Map<String, Set<JobStream>> byJob = new ConcurrentHashMap<>();

    JobWatchers(JobFeed feed, EventProperties properties) {
        this.feed = feed;
        this.properties = properties;
    }

    void add(String jobId, JobStream stream) {
        byJob.compute(jobId, (k, streams) -> { // atomic with the tick's removal of an empty set
            Set<JobStream> s = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            s.add(stream);
            return s;
        });
    }

    int count() {
        return byJob.values().stream().mapToInt(Set::size).sum();
    }

    void tick() {
        long progressNanos = properties.progressInterval().toNanos();
        long heartbeatNanos = properties.heartbeat().toNanos();
        for (Map.Entry<String, Set<JobStream>> entry : byJob.entrySet()) {
            Set<JobStream> streams = entry.getValue();
            streams.removeIf(s -> s.watcher.closed());
            if (streams.isEmpty()) {
                byJob.computeIfPresent(entry.getKey(), (k, v) -> v.isEmpty() ? null : v);
                continue;
            }
            Optional<JobView> job = feed.job(entry.getKey());
            if (job.isEmpty()) { // deleted meanwhile
                streams.forEach(s -> s.watcher.complete());
                continue;
            }
            int from = streams.stream().mapToInt(JobStream::lastEpoch).min().orElse(0);
            List<JobView.EpochView> epochs = feed.epochsAfter(entry.getKey(), from);
            for (JobStream s : streams) {
                s.update(job.get(), epochs, progressNanos);
                s.watcher.heartbeat(heartbeatNanos);
            }
        }
    }
}
