package io.trainserve.service.prediction;

import static io.trainserve.service.support.TestFiles.SOFTMAX_CSV;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.trainserve.service.support.ApiTest;
import io.trainserve.service.support.Training;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Steady-state predicts (latest version, {@code ?version=N}, {@code ?alias=NAME}, the key check in front)
 * make no JDBC statement at all, counted on the request thread through a proxy around the service's own
 * DataSource; a new version and an alias move are still served at once.
 */
@ApiTest
@Import(PredictWithoutDatabaseApiTest.CountingDataSource.class)
class PredictWithoutDatabaseApiTest {
    static final String ROW = "{\"instances\": [[9, 9]]}";

    @Autowired
    MockMvc mvc;
    @Autowired
    StatementCounter statements;

    @Test
    void steadyStatePredictsMakeNoStatementAndStillSeeChanges() throws Exception {
        String dataset = Training.upload(mvc, SOFTMAX_CSV);
        int first = Training.softmax(mvc, "quiet", dataset, null, 0.1, 50);
        mvc.perform(put("/models/{id}/aliases/{alias}", "quiet", "champion").contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\": " + first + "}")).andExpect(status().isCreated());
        predict().andExpect(status().isOk()); // the key's first use reads it once; bundles are loaded and warm

        assertThat(statementsDuring(() -> {
            for (int i = 0; i < 20; i++) {
                predict().andExpect(status().isOk()).andExpect(jsonPath("$.version").value(first));
                predict("alias", "champion").andExpect(status().isOk()).andExpect(jsonPath("$.version").value(first));
                predict("version", String.valueOf(first)).andExpect(status().isOk());
            }
        })).as("JDBC statements on the request thread during 60 predicts").isZero();

        int second = Training.softmax(mvc, "quiet", dataset, null, 0.1, 50);
        predict().andExpect(status().isOk()).andExpect(jsonPath("$.version").value(second));
        mvc.perform(put("/models/{id}/aliases/{alias}", "quiet", "champion").contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\": " + second + "}")).andExpect(status().isOk());
        predict("alias", "champion").andExpect(status().isOk()).andExpect(jsonPath("$.version").value(second));

        assertThat(statementsDuring(() -> {
            for (int i = 0; i < 10; i++) {
                predict().andExpect(jsonPath("$.version").value(second));
                predict("alias", "champion").andExpect(jsonPath("$.version").value(second));
            }
        })).as("JDBC statements on the request thread after the changes").isZero();
    }

    @Test
    void theCounterSeesStatementsOnTheRequestThread() throws Exception {
        // a request that does read the database (listing models) is counted: the zero above can fail
        assertThat(statementsDuring(() -> mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/models"))
                .andExpect(status().isOk()))).isPositive();
    }

    ResultActions predict(String... params) throws Exception {
        var request = post("/models/{id}/predict", "quiet").contentType(MediaType.APPLICATION_JSON).content(ROW);
        for (int i = 0; i < params.length; i += 2) request.param(params[i], params[i + 1]);
        return mvc.perform(request);
    }

    interface Requests {
        void run() throws Exception;
    }

    /** Statements prepared or created on this thread (MockMvc runs the request on it) while {@code requests} run. */
    int statementsDuring(Requests requests) throws Exception {
        statements.watch(Thread.currentThread());
        try {
            requests.run();
            return statements.count.get();
        } finally {
            statements.watch(null);
        }
    }

    /** Counts statements made through connections of the service's DataSource by one watched thread. */
    static final class StatementCounter {
        private static final Set<String> MAKERS = Set.of("createStatement", "prepareStatement", "prepareCall");
        final AtomicInteger count = new AtomicInteger();
        private volatile Thread watched;

        void watch(Thread thread) {
            count.set(0);
            watched = thread;
        }

        Connection counting(Connection target) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        if (MAKERS.contains(method.getName()) && Thread.currentThread() == watched) count.incrementAndGet();
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @TestConfiguration
    static class CountingDataSource {
        @Bean
        StatementCounter statementCounter() {
            return new StatementCounter();
        }

        @Bean
        static BeanPostProcessor countingDataSourceWrapper(org.springframework.beans.factory.ObjectProvider<StatementCounter> counter) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof DataSource ds) || bean instanceof DelegatingDataSource) return bean;
                    return new DelegatingDataSource(ds) {
                        @Override
                        public Connection getConnection() throws java.sql.SQLException {
                            return counter.getObject().counting(super.getConnection());
                        }

                        @Override
                        public Connection getConnection(String user, String password) throws java.sql.SQLException {
                            return counter.getObject().counting(super.getConnection(user, password));
                        }
                    };
                }
            };
        }
    }
}
