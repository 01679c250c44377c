package io.trainserve.service.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** The one thread per instance that reads the database for every open stream, every poll interval. */
@Component
class EventPoller implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(EventPoller.class);
    private final JobWatchers jobs;
    private final JobListWatchers lists;
    private final EventProperties properties;
    private ScheduledExecutorService executor;

    EventPoller(JobWatchers jobs, JobListWatchers lists, EventProperties properties, MeterRegistry registry) {
        this.jobs = jobs;
        this.lists = lists;
        this.properties = properties;
        Gauge.builder("trainserve.event.watchers", jobs::count).description("Open event streams on this instance")
                .tag("stream", "job").register(registry);
        Gauge.builder("trainserve.event.watchers", lists::count).description("Open event streams on this instance")
                .tag("stream", "jobs").register(registry);
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-events");
            t.setDaemon(true);
            return t;
        });
        long millis = properties.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            jobs.tick();
            lists.tick();
        } catch (RuntimeException e) { // a database hiccup must not end the poller; the next tick retries
            log.warn("reading job events failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) executor.shutdownNow();
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
