package io.trainserve.service.events;

import io.trainserve.service.training.JobFeed;
import io.trainserve.service.training.JobStatus;
import io.trainserve.service.training.JobView;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The watchers of {@code GET /jobs/events}: each tick reads the queued and running jobs and those
 * that finished lately, once, and sends every job whose status differs from the last tick (a new
 * job included) to all of them as a {@code status} event.
 */
@Component
class JobListWatchers {
    private final JobFeed feed;
    private final EventProperties properties;
    private final Clock clock;
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private Map<String, JobStatus> seen; // null while nobody watches

    JobListWatchers(JobFeed feed, EventProperties properties, Clock clock) {
        this.feed = feed;
        this.properties = properties;
        this.clock = clock;
    }

    /** Starts from the jobs as they are now: a new watcher hears of changes after it connected. */
    synchronized void add(Watcher watcher) {
        if (seen == null) seen = statuses(load());
        watchers.add(watcher);
    }

    int count() {
        return watchers.size();
    }

    synchronized void tick() {
        watchers.removeIf(Watcher::closed);
        if (watchers.isEmpty()) {
            seen = null;
            return;
        }
        List<JobView> jobs = load();
        for (JobView job : jobs) {
            if (job.status() == seen.get(job.id())) continue;
            for (Watcher w : watchers) w.send(SseEmitter.event().name("status").data(job, MediaType.APPLICATION_JSON));
        }
        seen = statuses(jobs);
        long heartbeatNanos = properties.heartbeat().toNanos();
        watchers.forEach(w -> w.heartbeat(heartbeatNanos));
    }

    private List<JobView> load() {
        return feed.activeOrFinishedSince(clock.instant().minus(properties.finishedWindow()));
    }

    private static Map<String, JobStatus> statuses(List<JobView> jobs) {
        Map<String, JobStatus> m = new HashMap<>();
        jobs.forEach(j -> m.put(j.id(), j.status()));
        return m;
    }
}
