package io.trainserve.service.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/** The whole service on an in-memory H2 and a temporary data directory, driven through MockMvc. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:api-${random.uuid};DB_CLOSE_DELAY=-1",
        "trainserve.data-dir=${java.io.tmpdir}/trainserve-test-${random.uuid}",
        "trainserve.jobs.progress-interval=0s",
        "trainserve.jobs.cancel-check-interval=0s",
        "trainserve.jobs.checkpoint-interval=0s",
        "db-scheduler.polling-interval=100ms"})
@AutoConfigureMockMvc
public @interface ApiTest {
}
