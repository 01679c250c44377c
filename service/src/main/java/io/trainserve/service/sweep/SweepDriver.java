package io.trainserve.service.sweep;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Steps every running sweep each {@code trainserve.sweeps.step-interval}, on every instance. A sweep lives in the
 * database, not here: after a restart (or on another instance) the next step carries on where the last one stopped.
 */
@Component
class SweepDriver implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SweepDriver.class);
    private final SweepRepository sweeps;
    private final SweepStepper stepper;
    private final SweepProperties properties;
    private ScheduledExecutorService timer;

    SweepDriver(SweepRepository sweeps, SweepStepper stepper, SweepProperties properties) {
        this.sweeps = sweeps;
        this.stepper = stepper;
        this.properties = properties;
    }

    /** Steps every running sweep once (also called right after a sweep is created). */
    void stepAll() {
        for (String id : sweeps.runningIds()) step(id);
    }

    void step(String id) {
        try {
            stepper.step(id);
        } catch (ObjectOptimisticLockingFailureException e) {
            log.debug("sweep {} was stepped or cancelled concurrently; the next step sees the result", id);
        } catch (RuntimeException e) {
            log.warn("sweep {}: step failed, retried in {}", id, properties.stepInterval(), e);
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || timer != null) return;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sweep-driver");
            t.setDaemon(true);
            return t;
        });
        long millis = properties.stepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::stepAllSafely, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void stepAllSafely() {
        try {
            stepAll();
        } catch (RuntimeException e) {
            log.warn("stepping sweeps failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (timer == null) return;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
