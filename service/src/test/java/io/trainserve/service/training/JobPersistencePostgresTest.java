package io.trainserve.service.training;

import io.trainserve.service.support.Postgres;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@EnabledIf("io.trainserve.service.support.Postgres#available")
class JobPersistencePostgresTest extends JobPersistenceContract {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        Postgres.register(registry);
    }
}
