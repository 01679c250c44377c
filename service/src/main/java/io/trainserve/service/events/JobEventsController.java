package io.trainserve.service.events;

import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.NotFoundException;
import io.trainserve.service.training.JobFeed;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /jobs/{id}/events} and {@code GET /jobs/events}: Server-Sent Events served by the shared poller. */
@RestController
class JobEventsController {
    private final JobFeed feed;
    private final JobWatchers jobWatchers;
    private final JobListWatchers listWatchers;
    private final EventProperties properties;

    JobEventsController(JobFeed feed, JobWatchers jobWatchers, JobListWatchers listWatchers, EventProperties properties) {
        this.feed = feed;
        this.jobWatchers = jobWatchers;
        this.listWatchers = listWatchers;
        this.properties = properties;
    }

    @GetMapping(path = "/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter job(@PathVariable String id, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        int after = lastEpoch(lastEventId);
        if (feed.job(id).isEmpty()) throw new NotFoundException("job", id);
        Watcher watcher = opened();
        jobWatchers.add(id, new JobStream(watcher, after));
        return watcher.emitter;
    }

    @GetMapping(path = "/jobs/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter all() {
        Watcher watcher = opened();
        listWatchers.add(watcher);
        return watcher.emitter;
    }

    /**
     * A new stream with a first comment line already queued, so the response headers go out at once: a client
     * (or proxy) learns the stream is open even when no event comes for a while. Sent before the poller knows the
     * watcher, so only one thread ever sends on it at a time.
     */
    private Watcher opened() {
        Watcher watcher = new Watcher(new SseEmitter(properties.timeout().toMillis()));
        watcher.send(SseEmitter.event().comment("open"));
        return watcher;
    }

    private static int lastEpoch(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) return 0;
        try {
            int epoch = Integer.parseInt(lastEventId.trim());
            if (epoch >= 0) return epoch;
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw new BadRequestException("Last-Event-ID", lastEventId, "the id of an earlier epoch event: an epoch number >= 0");
    }
}
