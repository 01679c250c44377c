package io.trainserve.service.instance;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes this instance's row in {@code instances} at start, refreshes its heartbeat every
 * {@code trainserve.instances.heartbeat-interval}, and removes it on a clean stop (a killed instance's
 * row simply goes stale and stops being listed).
 */
@Component
class InstanceHeartbeat implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(InstanceHeartbeat.class);
    private final JdbcTemplate jdbc;
    private final InstanceId id;
    private final InstanceProperties properties;
    private final int concurrency;
    private final Clock clock;
    private ScheduledExecutorService timer;

    InstanceHeartbeat(JdbcTemplate jdbc, InstanceId id, InstanceProperties properties,
                      org.springframework.core.env.Environment env, java.util.Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.id = id;
        this.properties = properties;
        this.concurrency = env.getProperty("trainserve.jobs.concurrency", Integer.class, 1);
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Override
    public synchronized void start() {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("delete from instances where instance_id = ?", id.value());
        jdbc.update("insert into instances (instance_id, started_at, heartbeat_at, concurrency) values (?, ?, ?, ?)",
                id.value(), now, now, concurrency);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "instance-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long millis = properties.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            int updated = jdbc.update("update instances set heartbeat_at = ? where instance_id = ?",
                    Timestamp.from(clock.instant()), id.value());
            if (updated == 0) {
                jdbc.update("insert into instances (instance_id, started_at, heartbeat_at, concurrency) values (?, ?, ?, ?)",
                        id.value(), Timestamp.from(clock.instant()), Timestamp.from(clock.instant()), concurrency);
            }
        } catch (RuntimeException e) {
            log.warn("instance heartbeat failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (timer == null) return;
        timer.shutdownNow();
        timer = null;
        try {
            jdbc.update("delete from instances where instance_id = ?", id.value());
        } catch (RuntimeException e) {
            log.warn("could not remove instance row: {}", e.getMessage());
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        return 0;
    }

    static Duration liveWithin(InstanceProperties p) {
        return p.heartbeatInterval().multipliedBy(p.missedHeartbeats());
    }
}
