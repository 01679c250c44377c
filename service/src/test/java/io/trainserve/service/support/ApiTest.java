package io.trainserve.service.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The whole service on an in-memory H2 and a temporary data directory, driven through MockMvc. The
 * service starts with {@link TestKeys#ADMIN} as its admin key and the injected MockMvc sends it on
 * every request (a request's own Authorization header wins).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:api-${random.uuid};DB_CLOSE_DELAY=-1",
        "trainserve.data-dir=${java.io.tmpdir}/trainserve-test-${random.uuid}",
        "trainserve.jobs.progress-interval=0s",
        "trainserve.jobs.cancel-check-interval=0s",
        "trainserve.jobs.checkpoint-interval=0s",
        "db-scheduler.polling-interval=100ms",
        "trainserve.sweeps.step-interval=100ms",
        // tests share the cores with other builds: a niced job would wait behind them past the tests' timeouts
        "trainserve.jobs.nice=0",
        "trainserve.security.admin-key=" + TestKeys.ADMIN})
@AutoConfigureMockMvc
@Import(TestKeys.DefaultKey.class)
public @interface ApiTest {
}
