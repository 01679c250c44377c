package io.trainserve.service.system;

import io.trainserve.engine.Trainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Loads the engine's native libraries and runs its training path once while the service starts, so
 * the first job does not wait for them. Runs before the service reports ready.
 */
@Component
class EngineWarmUp implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(EngineWarmUp.class);

    @Override
    public void run(ApplicationArguments args) {
        long start = System.nanoTime();
        Trainer.warmUp();
        log.info("engine warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
