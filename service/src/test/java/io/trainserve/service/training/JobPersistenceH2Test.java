package io.trainserve.service.training;

import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:persistence-${random.uuid};DB_CLOSE_DELAY=-1")
class JobPersistenceH2Test extends JobPersistenceContract {
}
